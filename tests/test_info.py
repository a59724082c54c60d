"""`mtslvr-info`: what a backbone, a training checkpoint and a run folder hold, and a clear refusal of anything else."""
import json

import pytest
import torch

from conftest import run

TINY = ['--clip-seconds', '1', '--batch-size', '4', '--synthetic-clips', '24', '--iters-per-epoch', '3',
        '--val-batches', '1', '--lr', '1e-3', '--no-progress', '--seed', '7', '--max-epochs', '2', '--bn-stats', 'clean']


@pytest.fixture(scope='module')
def run_dir(tmp_path_factory):
    "A real run folder, written by mtslvr-pretrain."
    out = tmp_path_factory.mktemp('info') / 'run'
    r = run(['mtslvr-pretrain', *TINY, '--variant', 'mt_bn', '--out-dir', str(out)], timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return out


def _info(*args):
    r = run(['mtslvr-info', *map(str, args)], timeout=120)
    return r


def test_backbone(run_dir):
    "A backbone: its header, the weights checked against the recorded SHA-256, the normalisation and the run's settings."
    from mtslvr.checkpoints import read_backbone, weights_sha256
    r = _info(run_dir / 'best_backbone.safetensors')
    assert r.returncode == 0, r.stderr
    header, sd = read_backbone(run_dir / 'best_backbone.safetensors')
    assert f"weights SHA-256         {weights_sha256(sd)} (checked)" in r.stdout, r.stdout
    for words in ('backbone: ', 'variant                 mt_bn', f"library version         {header['library_version']}",
                  'measured on clean training clips (--bn-stats clean)', "variant='mt_bn'", 'normalisation           mean '):
        assert words in r.stdout, (words, r.stdout)
    j = json.loads(_info(run_dir / 'best_backbone.safetensors', '--json').stdout)
    assert (j['kind'], j['step'], j['epoch'], j['config']['seed']) == ('backbone', header['step'], header['epoch'], 7)


def test_run_folder(run_dir):
    "A run folder: the training state and the backbone, and the last epoch's record from metrics.jsonl."
    r = _info(run_dir)
    assert r.returncode == 0, r.stderr
    last = json.loads((run_dir / 'metrics.jsonl').read_text().splitlines()[-1])
    assert f'run folder: {run_dir}' in r.stdout and 'training state: ' in r.stdout and 'backbone: ' in r.stdout, r.stdout
    assert f"epoch {last['epoch']}, step {last['step']}" in r.stdout and 'last epoch' in r.stdout, r.stdout
    j = json.loads(_info(run_dir, '--json').stdout)
    state = j['files'][0]
    assert state['kind'] == 'training state' and state['step'] == last['step'] and j['last_metrics'] == last
    ck = torch.load(run_dir / 'last.pt', map_location='cpu', weights_only=True)
    assert state['library_version'] == ck['library_version'] and state['bn_statistics'].startswith('measured on clean')


@pytest.mark.parametrize('content,words', [(b'\x80\x04K\x01.', 'expected an mtslvr backbone (.safetensors) or training checkpoint'),
                                           (b'', 'expected an mtslvr backbone')])
def test_foreign_file_is_refused(tmp_path, content, words):
    "A pickle or an empty file is refused in one line that names it, exit status 1, no traceback."
    p = tmp_path / 'model.pt'
    p.write_bytes(content)
    r = _info(p)
    assert r.returncode == 1 and str(p) in r.stderr and words in r.stderr and 'Traceback' not in r.stderr, r.stderr


def test_foreign_archive_and_folder(tmp_path):
    "A torch archive of someone else's and a folder without a run are refused, naming what was expected."
    torch.save({'weights': torch.zeros(3)}, tmp_path / 'theirs.pt')
    r = _info(tmp_path / 'theirs.pt')
    assert r.returncode == 1 and 'expected an mtslvr checkpoint' in r.stderr, r.stderr
    (tmp_path / 'empty').mkdir()
    r = _info(tmp_path / 'empty')
    assert r.returncode == 1 and 'expected a run folder holding last.pt or best_backbone.safetensors' in r.stderr, r.stderr
