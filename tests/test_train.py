"""Pre-training integration: the CLI, kill-and-resume with SIGKILL, and multi-process training through torchrun (gloo, CPU)."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from conftest import ROOT, run

TINY = ['--clip-seconds', '1', '--batch-size', '4', '--synthetic-clips', '24', '--iters-per-epoch', '6',
        '--val-batches', '1', '--lr', '1e-3', '--no-progress', '--seed', '7']


def _weights(path):
    return torch.load(path, map_location='cpu', weights_only=True)['model']


def test_cli_kill_and_resume(tmp_path):
    "A run killed with SIGKILL mid-epoch and resumed ends with bit-identical weights to an uninterrupted run."
    env = {**os.environ, 'PATH': str(Path(sys.executable).parent) + os.pathsep + os.environ['PATH']}
    full = run(['mtslvr-pretrain', *TINY, '--max-epochs', '4', '--out-dir', str(tmp_path / 'full')], timeout=600)
    assert full.returncode == 0, full.stderr[-3000:]
    assert '"variant": "mt_parallel"' in full.stdout  # the configuration is printed
    killed = tmp_path / 'killed'
    p = subprocess.Popen(['mtslvr-pretrain', *TINY, '--max-epochs', '4', '--out-dir', str(killed)], cwd=ROOT, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and not (killed / 'metrics.jsonl').exists():
        time.sleep(0.05)
    while time.time() < deadline and len((killed / 'metrics.jsonl').read_text().splitlines()) < 2:
        time.sleep(0.05)
    time.sleep(0.1)  # epoch 2 is checkpointed; the run is now inside epoch 3
    p.send_signal(signal.SIGKILL)
    p.wait()
    done = len((killed / 'metrics.jsonl').read_text().splitlines())
    assert done < 4, 'the run finished before it could be killed'
    resumed = run(['mtslvr-pretrain', *TINY, '--max-epochs', '4', '--out-dir', str(killed), '--resume'], timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert 'resumed from' in resumed.stdout
    a, b = _weights(tmp_path / 'full' / 'last.pt'), _weights(killed / 'last.pt')
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    hist = [json.loads(l) for l in (killed / 'metrics.jsonl').read_text().splitlines()]
    assert [h['epoch'] for h in hist][-1] == 4 and all(h['train_loss'] == h['train_loss'] for h in hist)
    assert (killed / 'loss_curve.png').stat().st_size > 0 and (killed / 'best_backbone.safetensors').exists()


@pytest.mark.parametrize('variant', ['mt_parallel', 'cont_only'])
def test_loss_falls(tmp_path, variant):
    "Tiny runs on the embedded corpus: finite losses, and on held-out clips, under one fixed augmentation draw, the loss falls."
    args = ['--clip-seconds', '1', '--batch-size', '16', '--synthetic-clips', '96', '--iters-per-epoch', '5', '--val-batches', '1',
            '--lr', '2e-4', '--no-progress', '--seed', '7', '--max-epochs', '4', '--variant', variant, '--out-dir', str(tmp_path)]
    r = run(['mtslvr-pretrain', *args], timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    hist = [json.loads(l) for l in (tmp_path / 'metrics.jsonl').read_text().splitlines()]
    assert all(h['train_loss'] == h['train_loss'] and abs(h['train_loss']) < 1e3 for h in hist)
    from mtslvr.core import make_generator
    from mtslvr.framework import MTSLVR
    from mtslvr.train import PretrainConfig, build_datasets
    ck = torch.load(tmp_path / 'last.pt', weights_only=True)
    cfg = PretrainConfig(**ck['config'])
    _, val, _ = build_datasets(cfg, log=lambda *a: None)
    waves = torch.stack([val[i] for i in range(24)])  # held-out clips
    losses = []
    for trained in (False, True):
        m = MTSLVR(cfg.variant, aug_seed=cfg.seed, init_seed=cfg.seed)  # the run's initial weights
        if trained:
            m.load_state_dict(ck['model'])
        with torch.no_grad():
            losses.append(m(waves, make_generator(123))['loss'].item())  # same views for both
    assert losses[1] < losses[0], losses


def test_two_processes_equal_one(tmp_path):
    "Two gloo processes under torchrun give the loss and the updated weights of one process on the same global batch."
    one = run([sys.executable, 'tests/ddp_step.py', str(tmp_path / 'one.json')], timeout=600, env={'OMP_NUM_THREADS': '1'})
    assert one.returncode == 0, one.stderr[-3000:]
    two = run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', 'tests/ddp_step.py',
               str(tmp_path / 'two.json')], timeout=600, env={'OMP_NUM_THREADS': '1'})
    assert two.returncode == 0, two.stderr[-3000:]
    a, b = json.loads((tmp_path / 'one.json').read_text()), json.loads((tmp_path / 'two.json').read_text())
    assert (a['world'], b['world']) == (1, 2)
    assert abs(a['loss'] - b['loss']) < 1e-5, (a['loss'], b['loss'])
    assert max(abs(x - y) for x, y in zip(a['params_head'], b['params_head'])) < 1e-5
    assert abs(a['params_sum'] - b['params_sum']) < 1e-3


def test_pretrain_under_torchrun(tmp_path):
    "The full loop runs under torchrun with two processes; only rank 0 writes; resume works the same."
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2',
           str(Path(sys.executable).parent / 'mtslvr-pretrain'), *TINY, '--max-epochs', '1', '--out-dir', str(tmp_path)]
    r = run(cmd, timeout=600, env={'OMP_NUM_THREADS': '1'})
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.count('mtslvr pretrain:') == 1  # one process prints and writes
    assert len((tmp_path / 'metrics.jsonl').read_text().splitlines()) == 1
    r = run([*cmd[:-4], '--max-epochs', '2', '--out-dir', str(tmp_path), '--resume'], timeout=600, env={'OMP_NUM_THREADS': '1'})
    assert r.returncode == 0, r.stderr[-3000:]
    assert len((tmp_path / 'metrics.jsonl').read_text().splitlines()) == 2


@pytest.mark.parametrize('bn_stats', ['training', 'clean'])
def test_monitor_only_measures(tmp_path, bn_stats):
    "A monitored run (3 epochs of 3 steps) ends with exactly the weights and batch-norm statistics of the same run without a monitor."
    from mtslvr.data import SyntheticFewShot
    from mtslvr.train import PretrainConfig, pretrain
    sets = SyntheticFewShot(clips_per_class=2, seconds=(1, 1), classes=('bell', 'siren', 'drum', 'whistle', 'engine')).write(tmp_path / 'mon')
    cfg = PretrainConfig(clip_seconds=1.0, batch_size=4, synthetic_clips=24, iters_per_epoch=3, max_epochs=3, val_batches=1, lr=1e-3,
                         progress=False, seed=7, bn_stats=bn_stats, bn_clips=8)
    states = {}
    for name, monitor in (('plain', []), ('watched', [f'five={sets}'])):
        s = pretrain(cfg, out_dir=str(tmp_path / name), monitor=monitor, monitor_tasks=20)
        states[name] = torch.load(s['checkpoint'], weights_only=True)['model']
    a, b = states['plain'], states['watched']
    assert a.keys() == b.keys()
    assert [k for k in a if not torch.equal(a[k], b[k])] == []
    counts = {int(v) for k, v in b.items() if k.startswith('backbone.') and k.endswith('num_batches_tracked')}
    assert counts == {2 * 3 * 3}, counts  # the backbone sees two views per step, every step in training mode


def test_validation_restores_modes():
    "Validation measures in evaluation mode and hands back every module's own mode, a deliberately frozen one included."
    from mtslvr.framework import MTSLVR
    from mtslvr.train import PretrainConfig, _validate
    from mtslvr.data import SyntheticAudio
    m = MTSLVR('mt_bn', aug_seed=0, init_seed=0)
    m.backbone.stem.eval()  # a part frozen on purpose
    before = {n: mod.training for n, mod in m.named_modules()}
    cfg = PretrainConfig(clip_seconds=1.0, batch_size=4, val_batches=1, progress=False)
    out = _validate(m, SyntheticAudio(4, 1.0, seed=0), cfg, 1, 0, 1, torch.device('cpu'))
    assert out['val_loss'] == out['val_loss']
    assert {n: mod.training for n, mod in m.named_modules()} == before
