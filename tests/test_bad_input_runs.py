"""Bad input to runs and checkpoints: crafted files never execute, out-dirs never lose work, settings fail early and clearly."""
import json
import os
import pickle
import sys
import warnings
from pathlib import Path

import pytest
import torch

from conftest import run

TINY = dict(clip_seconds=1.0, batch_size=4, synthetic_clips=24, iters_per_epoch=2, val_batches=1, lr=1e-3, progress=False, seed=7)
TINY_ARGS = ['--clip-seconds', '1', '--batch-size', '4', '--synthetic-clips', '24', '--iters-per-epoch', '2',
             '--val-batches', '1', '--lr', '1e-3', '--no-progress', '--seed', '7']


class Payload:
    "Unpickling this object would create `marker`: stands for any code a crafted file could run."
    def __init__(self, marker):
        self.marker = marker
    def __reduce__(self):
        return (Path.touch, (self.marker,))


def crafted_files(folder: Path, marker: Path) -> dict:
    "The same payload as a bare pickle, inside a torch archive, and under a .safetensors name."
    folder.mkdir(parents=True, exist_ok=True)
    bare, zipped = folder / 'bare_backbone.pt', folder / 'zipped_backbone.pt'
    bare.write_bytes(pickle.dumps({'format': 'mtslvr-backbone', 'variant': 'mt_bn', 'x': Payload(marker)}))
    torch.save({'format': 'mtslvr-checkpoint', 'x': Payload(marker)}, zipped)
    fake = folder / 'fake.safetensors'
    fake.write_bytes(zipped.read_bytes())
    return dict(bare=bare, zipped=zipped, fake=fake)


def _loaders():
    from mtslvr.checkpoints import load_encoder, load_training_state
    from mtslvr import evaluate, hear
    return dict(load_encoder=load_encoder, load_training_state=load_training_state,
                hear=lambda p: hear.load_model(str(p), device='cpu'), eval=lambda p: evaluate.load_spec(f'x={p}', 'cpu'))


@pytest.mark.parametrize('loader', ['load_encoder', 'load_training_state', 'hear', 'eval'])
@pytest.mark.parametrize('kind', ['bare', 'zipped', 'fake'])
def test_crafted_checkpoint_never_runs(tmp_path, loader, kind):
    "Every loader refuses a crafted pickle with an error naming the file, and the payload never runs."
    marker = tmp_path / 'marker'
    path = crafted_files(tmp_path / 'files', marker)[kind]
    with pytest.raises(ValueError, match=path.name):
        _loaders()[loader](path)
    assert not marker.exists()


def test_crafted_checkpoint_via_cli_and_resume(tmp_path):
    "mtslvr-eval and a resumed run refuse crafted files (one-line error naming the file), and nothing executes."
    from mtslvr.train import pretrain
    marker = tmp_path / 'marker'
    files = crafted_files(tmp_path / 'files', marker)
    r = run(['mtslvr-eval', '--models', f'm={files["zipped"]}', '--n-tasks', '10', '--no-progress', '--out-dir', str(tmp_path / 'e')])
    assert r.returncode == 1 and 'zipped_backbone.pt' in r.stderr and 'Traceback' not in r.stderr, r.stderr[-2000:]
    out = tmp_path / 'run'
    out.mkdir()
    (out / 'last.pt').write_bytes(files['zipped'].read_bytes())
    with pytest.raises(ValueError, match='last.pt'):
        pretrain(out_dir=str(out), resume=True, max_epochs=1, **TINY)
    assert not marker.exists()


def test_no_pickle_in_package():
    "No loader in the package may unpickle arbitrary objects."
    import mtslvr
    src = '\n'.join(p.read_text() for p in Path(mtslvr.__file__).parent.glob('*.py'))
    assert 'weights_only=False' not in src and 'allow_pickle=True' not in src


def cli(main, args, capsys):
    "Run a command's entry point in this process: (exit status, stderr)."
    capsys.readouterr()
    code, msg = 0, ''
    try:
        main(args)
    except SystemExit as e:
        code, msg = (e.code, '') if isinstance(e.code, int) else (1, str(e.code))  # as the interpreter reports it
    return code, capsys.readouterr().err + msg


def test_same_command_twice_is_refused(tmp_path, capsys):
    "A second run into a used out-dir is refused (nothing overwritten); --overwrite replaces it."
    from mtslvr.train import pretrain_cli
    args = [*TINY_ARGS, '--max-epochs', '1', '--out-dir', str(tmp_path)]
    assert cli(pretrain_cli, args, capsys)[0] == 0
    before = (tmp_path / 'last.pt').read_bytes()
    code, err = cli(pretrain_cli, args, capsys)
    assert code == 1 and 'already holds a run' in err and '--resume' in err and '--overwrite' in err, err
    assert (tmp_path / 'last.pt').read_bytes() == before and len((tmp_path / 'metrics.jsonl').read_text().splitlines()) == 1
    assert cli(pretrain_cli, [*args, '--overwrite'], capsys)[0] == 0
    assert len((tmp_path / 'metrics.jsonl').read_text().splitlines()) == 1  # a fresh log, not interleaved


def test_resume_without_checkpoint_is_an_error(tmp_path):
    "--resume on a folder with no last.pt is an error, not a silent fresh start."
    from mtslvr.train import pretrain
    with pytest.raises(FileNotFoundError, match='resume: expected a checkpoint at'):
        pretrain(out_dir=str(tmp_path / 'typo'), resume=True, max_epochs=1, **TINY)
    assert not (tmp_path / 'typo' / 'metrics.jsonl').exists()


@pytest.mark.parametrize('content', ['truncated', 'foreign', 'empty'])
def test_corrupt_checkpoint_names_the_file(tmp_path, content):
    "A truncated, foreign or empty last.pt fails with a ValueError that names the file."
    from mtslvr.train import pretrain
    out = tmp_path / 'run'
    pretrain(out_dir=str(out), max_epochs=1, **TINY)
    ck = out / 'last.pt'
    data = ck.read_bytes()
    if content == 'truncated':
        ck.write_bytes(data[:len(data) // 2])
    elif content == 'foreign':
        torch.save({'weights': torch.ones(3)}, ck)
    else:
        ck.write_bytes(b'')
    with pytest.raises(ValueError, match=str(ck)):
        pretrain(out_dir=str(out), resume=True, max_epochs=2, **TINY)


KILL_DURING_SAVE = r'''
import os, signal, sys, torch
from mtslvr.train import pretrain
real, calls = torch.save, []
def dying_save(obj, f, *a, **k):
    calls.append(f)
    real(obj, f, *a, **k)
    if len(calls) == 2:  # the last epoch's checkpoint: half written, then the process dies
        with open(f, 'r+b') as h: h.truncate(os.path.getsize(f) // 2)
        os.kill(os.getpid(), signal.SIGKILL)
torch.save = dying_save
pretrain(out_dir=sys.argv[1], max_epochs=2, **eval(sys.argv[2]))
'''


def test_kill_during_checkpoint_write(tmp_path):
    "SIGKILL in the middle of writing last.pt leaves the previous checkpoint intact; resume cleans up and ends bit-identical."
    from mtslvr.checkpoints import load_training_state
    from mtslvr.train import pretrain
    full = pretrain(out_dir=str(tmp_path / 'full'), max_epochs=2, **TINY)
    out = tmp_path / 'killed'
    p = run([sys.executable, '-c', KILL_DURING_SAVE, str(out), repr(TINY)])
    assert p.returncode == -9, p.stderr[-2000:]
    assert [f.name for f in out.glob('.last.pt.tmp*')], 'the half-written temporary file should be left behind'
    assert load_training_state(out / 'last.pt')['state']['epoch'] == 1  # the previous checkpoint is intact
    pretrain(out_dir=str(out), max_epochs=2, resume=True, **TINY)
    assert not list(out.glob('.*.tmp*'))
    a = torch.load(full['checkpoint'], weights_only=True)['model']
    b = torch.load(out / 'last.pt', weights_only=True)['model']
    assert all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize('saved', ['cuda', 'format1'])
def test_resume_across_device_types(tmp_path, saved):
    "A checkpoint whose augmentation generator came from a CUDA device (or format 1's bare state) resumes on the CPU."
    from mtslvr.train import pretrain
    out = tmp_path / 'run'
    pretrain(out_dir=str(out), max_epochs=1, **TINY)
    ck = torch.load(out / 'last.pt', weights_only=True)
    if saved == 'cuda':
        ck['aug_generator'] = dict(device='cuda', state=torch.zeros(16, dtype=torch.uint8))  # Philox seed + offset
    else:
        ck['aug_generator'], ck['config'] = ck['aug_generator']['state'], {k: v for k, v in ck['config'].items() if k != 'crop'}
    torch.save(ck, out / 'last.pt')
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        s = pretrain(out_dir=str(out), max_epochs=2, resume=True, **TINY, **({'crop': 'first'} if saved == 'format1' else {}))
    assert s['epochs'] == 2
    msgs = [str(x.message) for x in w if 'aug_generator' in str(x.message)]
    assert bool(msgs) == (saved == 'cuda'), msgs  # the same-device bare state restores exactly, silently


def test_legacy_backbone_still_loads(tmp_path):
    "A backbone written by mtslvr 0.1 (a torch dict of tensors) loads through the restricted reader."
    from mtslvr.checkpoints import load_encoder
    from mtslvr.framework import Encoder
    enc = Encoder('mt_split').eval()
    torch.save(dict(format='mtslvr-backbone', version=1, variant='mt_split', state_dict=enc.backbone.state_dict(),
                    config={'lr': 1e-4}, stats=(0.0, 1.0), epoch=3), tmp_path / 'best_backbone.pt')
    x = torch.randn(2, 16000)
    assert torch.equal(load_encoder(tmp_path / 'best_backbone.pt')(x), enc(x))


@pytest.mark.parametrize('option,value,words', [
    ('--val-fraction', '0', '--val-fraction: expected a fraction in (0, 1), got 0.0'),
    ('--clip-seconds', '0.05', '--clip-seconds: expected at least 0.128 s, got 0.05'),
    ('--tau', '0', '--tau: expected a number > 0, got 0.0'),
    ('--lr', '-1', '--lr: expected a number > 0, got -1.0'),
    ('--batch-size', '0', '--batch-size: expected an integer >= 1, got 0'),
    ('--max-steps', '-3', '--max-steps: expected an integer >= 0, got -3'),
])
def test_pretrain_settings_out_of_range(tmp_path, capsys, option, value, words):
    "Out-of-range settings stop mtslvr-pretrain at once with a usage error naming the option, the range and the value."
    from mtslvr.train import pretrain_cli
    code, err = cli(pretrain_cli, [option, value, '--out-dir', str(tmp_path)], capsys)
    assert code == 2 and words in err, err[-1500:]
    assert not tmp_path.joinpath('metrics.jsonl').exists()


@pytest.mark.parametrize('option,value,words', [
    ('--n-way', '1', '--n-way: expected an integer >= 2, got 1'), ('--k-shot', '0', '--k-shot: expected an integer >= 1'),
    ('--q-queries', '0', '--q-queries: expected an integer >= 1'), ('--n-tasks', '0', '--n-tasks: expected an integer >= 1'),
    ('--segment-seconds', '0', '--segment-seconds: expected at least 0.064 s'),
])
def test_eval_settings_out_of_range(tmp_path, capsys, option, value, words):
    "Out-of-range evaluation settings are usage errors naming the option."
    from mtslvr.evaluate import eval_cli
    code, err = cli(eval_cli, [option, value, '--out-dir', str(tmp_path)], capsys)
    assert code == 2 and words in err, err[-1500:]


def _wavs(folder: Path, n: int, seconds: float = 1.0, seed: int = 0):
    import numpy as np
    import soundfile as sf
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for i in range(n):
        sf.write(folder / f'clip{i}.wav', (0.1 * rng.standard_normal(int(seconds * 16000))).astype('float32'), 16000)


def test_one_file_folder(tmp_path):
    "A folder with one usable file fails before training, saying why (no clip left for validation)."
    from mtslvr.train import pretrain
    _wavs(tmp_path / 'data', 1)
    with pytest.raises(ValueError, match=r'has 1 usable clip\(s\); --val-fraction 0.3 leaves none for validation'):
        pretrain(data=str(tmp_path / 'data'), out_dir=str(tmp_path / 'run'), max_epochs=1, **TINY)


def test_bad_files_in_any_split_are_skipped(tmp_path):
    "Corrupt and empty files are skipped before the split with one warning naming each; training and validation run."
    from mtslvr.train import pretrain
    data = tmp_path / 'data'
    _wavs(data, 8)
    (data / 'empty.wav').write_bytes(b'')
    (data / 'corrupt.wav').write_bytes(os.urandom(3000))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        s = pretrain(data=str(data), out_dir=str(tmp_path / 'run'), max_epochs=1, **TINY)
    text = ' '.join(str(x.message) for x in w)
    assert 'empty.wav' in text and 'corrupt.wav' in text
    hist = [json.loads(l) for l in (tmp_path / 'run' / 'metrics.jsonl').read_text().splitlines()]
    assert s['epochs'] == 1 and hist[0]['val_loss_sum'] == hist[0]['val_loss_sum']


def test_paths_with_equals_and_at(tmp_path):
    "Checkpoint paths with '=' and dataset folders named 'set=A' or 'user@host' work on the command line."
    from mtslvr.checkpoints import save_backbone
    from mtslvr.data import SyntheticFewShot
    from mtslvr.framework import Encoder
    ck = save_backbone(Encoder('cont_only'), tmp_path / 'runs' / 'lr=1e-3' / 'best_backbone.safetensors')
    SyntheticFewShot(clips_per_class=3).write(tmp_path / 'set=A')
    SyntheticFewShot(clips_per_class=3).write(tmp_path / 'user@host')
    r = run(['mtslvr-eval', '--models', str(ck), '--datasets', str(tmp_path / 'set=A'), str(tmp_path / 'user@host'),
             '--n-tasks', '20', '--readouts', 'centroid', '--no-progress', '--out-dir', str(tmp_path / 'eval'), '--cache-dir', ''],
            timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads((tmp_path / 'eval' / 'results.json').read_text())['results']['centroid']
    assert set(res) == {'lr=1e-3', 'logmel (baseline)'} and set(res['lr=1e-3']) == {'set=A', 'user@host'}


def test_duplicate_result_names_refused(tmp_path):
    "Two models with one display name are refused instead of silently overwriting each other's results."
    from mtslvr.evaluate import evaluate
    with pytest.raises(ValueError, match=r"more than one model is named \['r'\]"):
        evaluate(models=['r=random:mt_bn', 'r=random:cont_only'], n_tasks=10, progress=False, out_dir=str(tmp_path), cache_dir='')


def test_duplicate_dataset_names_refused(tmp_path):
    "Two datasets with one display name are refused instead of sharing one column."
    from mtslvr.evaluate import evaluate
    with pytest.raises(ValueError, match=r"more than one dataset is named \['synthetic'\]"):
        evaluate(models=['baseline:logmel'], datasets=['synthetic', 'synthetic'], n_tasks=10, progress=False, out_dir=str(tmp_path), cache_dir='')


def test_odd_npy_split_files(tmp_path):
    "An .npz under a .npy name and a truncated .npy are reported as unreadable, naming the file; not as pickles, not as crashes."
    import numpy as np
    from mtslvr.labelled import read_split
    np.savez(tmp_path / 'z.npz', a=np.array(['x']))
    (tmp_path / 'z.npz').rename(tmp_path / 'z.npy')
    with pytest.raises(ValueError, match=r'z\.npy: expected one \.npy array'):
        read_split(tmp_path / 'z.npy')
    np.save(tmp_path / 't.npy', np.array(['dog', 'cat', 'cow']))
    (tmp_path / 't.npy').write_bytes((tmp_path / 't.npy').read_bytes()[:-5])
    with pytest.raises(ValueError, match=r't\.npy: unreadable \.npy file'):
        read_split(tmp_path / 't.npy')
