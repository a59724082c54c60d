"""Outputs are never replaced by accident, and every file a command writes goes through the one atomic writer."""
import builtins
import io
import json
from pathlib import Path

import pytest

from mtslvr.analysis import ANALYSIS_FILES, analysis_cli, analyze
from mtslvr.data import SyntheticAudio, SyntheticFewShot
from mtslvr.stats import stats_cli
from mtslvr.evaluate import evaluate
from mtslvr.train import pretrain

SMALL = dict(clips=8, grid=1, n_tasks=5, seconds=1.0)


@pytest.fixture(scope='module')
def small_set(tmp_path_factory):
    root = tmp_path_factory.mktemp('fewshot')
    return SyntheticFewShot(clips_per_class=2, seconds=(1, 1), classes=('bell', 'siren', 'drum', 'whistle', 'engine')).write(root / 'set')


def test_analysis_refuses_a_used_folder(tmp_path, small_set, capsys):
    "A second mtslvr-analysis into the same folder is refused before any work, naming the files; --overwrite replaces them."
    args = ['--models', 'random:mt_parallel', '--datasets', f'small={small_set}', '--clips', '8', '--grid', '1', '--n-tasks', '5',
            '--seconds', '1', '--out-dir', str(tmp_path)]
    analysis_cli(args)
    before = (tmp_path / 'invariance.json').read_text()
    with pytest.raises(SystemExit) as e:
        analysis_cli(args)
    assert 'already holds results (invariance.json' in str(e.value) and '--overwrite' in str(e.value)
    assert (tmp_path / 'invariance.json').read_text() == before
    analysis_cli(args + ['--overwrite', '--seed', '1'])
    assert (tmp_path / 'invariance.json').read_text() != before  # replaced: another seed draws other noise


def test_overwritten_analysis_leaves_no_stale_selection(tmp_path, small_set):
    "Replacing a multi-task analysis with a baseline-only one removes the selection files that no longer describe the folder."
    analyze(models=['random:mt_parallel'], datasets=[f'small={small_set}'], out_dir=str(tmp_path), **SMALL)
    assert all((tmp_path / f).exists() for f in ANALYSIS_FILES)
    analyze(models=['baseline:logmel'], datasets=[f'small={small_set}'], out_dir=str(tmp_path), overwrite=True, **SMALL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['invariance.json', 'invariance.md', 'invariance.png']
    assert list(json.loads((tmp_path / 'invariance.json').read_text())) == ['logmel (baseline)']


def test_every_output_is_written_atomically(tmp_path, small_set, monkeypatch):
    "Pre-training, statistics, evaluation (with its feature cache) and the analyses open files for writing only under temporary names."
    opened = []
    real_open, real_io_open = builtins.open, io.open

    def spy(real):
        def wrapped(file, mode='r', *a, **k):
            if isinstance(file, (str, Path)) and any(c in mode for c in 'wax+'):
                opened.append(Path(file))
            return real(file, mode, *a, **k)
        return wrapped
    monkeypatch.setattr(builtins, 'open', spy(real_open))
    monkeypatch.setattr(io, 'open', spy(real_io_open))
    run = pretrain(clip_seconds=1.0, batch_size=4, synthetic_clips=24, iters_per_epoch=2, max_epochs=2, val_batches=1,
                   progress=False, out_dir=str(tmp_path / 'run'), monitor=[f'small={small_set}'], monitor_tasks=10)
    folder = SyntheticAudio(6, 1.0, seed=1).write(tmp_path / 'audio')
    stats_cli([str(folder), '--seconds', '1'])
    evaluate(models=[f'mine={run["backbone"]}'], datasets=[f'small={small_set}'], n_tasks=20, out_dir=str(tmp_path / 'eval'),
             cache_dir=str(tmp_path / 'cache'), progress=False, baseline=False)
    analyze(models=[f'mine={run["backbone"]}'], datasets=[f'small={small_set}'], out_dir=str(tmp_path / 'analysis'), **SMALL)
    mine = [p for p in opened if tmp_path in p.parents]
    direct = sorted({str(p.relative_to(tmp_path)) for p in mine if not (p.name.startswith('.') and '.tmp' in p.name)})
    assert direct == [], direct
    written = {p.parent.name for p in mine}
    assert {'run', 'audio', 'eval', 'cache', 'analysis'} <= written, written
