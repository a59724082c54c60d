"""Pre-training options on real files: seeded random crops of long files and a wall-clock budget."""

import json

import numpy as np
import pytest
import soundfile as sf
import torch

TINY = dict(clip_seconds=0.5, batch_size=4, iters_per_epoch=3, val_batches=1, lr=1e-3, progress=False, seed=3, norm='none')


@pytest.fixture
def long_files(tmp_path):
    "Eight 3-s ramps (sample k holds k / 48000, offset per file): six times longer than the 0.5-s clip; a sample tells its position."
    root = tmp_path / 'audio'  # the runs write beside it, not into it
    root.mkdir()
    for i in range(8):
        sf.write(root / f'f{i}.wav', (np.arange(48_000) / 48_000 * 0.5 - 0.25 + 0.01 * i).astype('float32'), 16_000,
                                subtype='FLOAT')
    return root


def _record_crops(monkeypatch):
    import mtslvr.data as D
    seen, real = [], D._fix_length  # what AudioFolder crops with
    def spy(w, length, crop_seed=None):
        out = real(w, length, crop_seed)
        start = int(torch.searchsorted(w.contiguous(), out[:1].contiguous()))  # the ramp rises: the first sample locates the window
        assert torch.equal(w[start:start + length], out)
        seen.append((crop_seed, start))
        return out
    monkeypatch.setattr(D, '_fix_length', spy)
    return seen


def test_random_crops_differ_across_steps(long_files, tmp_path, monkeypatch):
    "With --crop random (the default) training sees different windows of the same files at different steps, reproducibly."
    from mtslvr.train import pretrain
    seen = _record_crops(monkeypatch)
    pretrain(data=str(long_files), out_dir=str(tmp_path / 'a'), max_epochs=2, **TINY)
    train = [s for s in seen if s[0] is not None]
    assert len(train) >= 12 and len({start for _, start in train}) > len(train) // 2, train
    first = list(seen)
    seen.clear()
    pretrain(data=str(long_files), out_dir=str(tmp_path / 'b'), max_epochs=2, **TINY)
    assert seen == first  # the crops are a pure function of the seed and the step


def test_first_crop_option(long_files, tmp_path, monkeypatch):
    "--crop first reads the first clip_seconds of every file, as the authors' loader does."
    from mtslvr.train import pretrain
    seen = _record_crops(monkeypatch)
    pretrain(data=str(long_files), out_dir=str(tmp_path / 'a'), max_epochs=1, crop='first', **TINY)
    assert seen and all(s == (None, 0) for s in seen)


def test_max_minutes_stops_with_a_checkpoint(tmp_path):
    "--max-minutes ends the run cleanly at the budget: the epoch is validated and checkpointed, the plot written."
    from mtslvr.checkpoints import load_training_state
    from mtslvr.train import pretrain
    opts = {**TINY, 'iters_per_epoch': 12, 'clip_seconds': 1.0, 'synthetic_clips': 24}
    s = pretrain(out_dir=str(tmp_path), max_epochs=100, max_minutes=0.001, **opts)  # one step outlasts 60 ms
    assert s['out_of_time'] and s['epochs'] == 1 and s['steps'] < 12
    assert load_training_state(tmp_path / 'last.pt')['state']['step'] == s['steps']
    assert (tmp_path / 'loss_curve.png').stat().st_size > 0 and (tmp_path / 'best_backbone.safetensors').exists()
    assert len((tmp_path / 'metrics.jsonl').read_text().splitlines()) == 1
    more = pretrain(out_dir=str(tmp_path), max_epochs=2, resume=True, **opts)
    assert not more['out_of_time'] and more['epochs'] == 2 and more['steps'] == s['steps'] + 12  # a timed-out run resumes
    assert len((tmp_path / 'metrics.jsonl').read_text().splitlines()) == 2


@pytest.mark.parametrize('cont', ['simclr', 'simsiam'])
def test_pass_ending_in_one_clip(tmp_path, cont):
    "9 training clips in batches of 4: the pass's last batch would hold one clip; it is dropped, so SimSiam's projector trains and every step is full."
    from mtslvr.train import PretrainConfig, build_datasets, pretrain
    cfg = dict(data='synthetic', synthetic_clips=13, **TINY)
    assert len(build_datasets(PretrainConfig(**cfg), log=lambda *a: None)[0]) == 9
    out = pretrain(out_dir=str(tmp_path / cont), cont=cont, variant='cont_only', max_steps=5, **cfg)
    assert out['steps'] == 5
    rows = [json.loads(l) for l in (tmp_path / cont / 'metrics.jsonl').read_text().splitlines()]
    assert all(np.isfinite(r['train_loss']) for r in rows)


def test_new_options_in_help():
    "--objective, --view-plans and --monitor-features are options of mtslvr-pretrain, --features of mtslvr-eval, each with its help."
    from mtslvr.evaluate import eval_parser
    from mtslvr.train import pretrain_parser
    text = ' '.join(pretrain_parser().format_help().split())
    for opt, words in (('--objective', 'positive control'), ('--view-plans', 'independent'), ('--monitor-features', 'trunk')):
        assert opt in text and words in text, opt
    text = ' '.join(eval_parser().format_help().split())
    assert '--features' in text and 'pooled' in text


def test_supervised_control_learns_and_evaluates(tmp_path):
    "Supervised pre-training on a labelled folder lowers its loss, and mtslvr-eval scores its backbone like any other."
    from mtslvr.data import SyntheticFewShot
    from mtslvr.evaluate import evaluate
    from mtslvr.train import pretrain
    lab = SyntheticFewShot(clips_per_class=6, seconds=(1, 1), classes=('bell', 'siren', 'drum', 'whistle', 'engine')).write(tmp_path / 'lab')
    s = pretrain(data=str(lab), objective='supervised', variant='cont_only', out_dir=str(tmp_path / 'sup'), clip_seconds=1.0, batch_size=8,
                 iters_per_epoch=5, max_epochs=3, val_batches=1, lr=1e-3, progress=False, seed=3)
    hist = [json.loads(line) for line in open(s['metrics'])]
    assert hist[-1]['train_loss'] < hist[0]['train_loss'], [h['train_loss'] for h in hist]
    res = evaluate(models=[f"sup={s['backbone']}"], datasets=[str(lab)], n_tasks=50, readouts=['centroid'], baseline=False,
                   out_dir=str(tmp_path / 'eval'), cache_dir='', progress=False)
    assert 0 <= res['centroid']['sup']['lab']['mean'] <= 100


def test_supervised_needs_class_folders(tmp_path):
    "A folder of loose files is refused for supervised pre-training, naming the folder and what it needs."
    from mtslvr.train import pretrain
    root = tmp_path / 'loose'
    root.mkdir()
    for i in range(6):
        sf.write(root / f'f{i}.wav', (np.sin(np.arange(16_000) * (0.01 + 0.01 * i)) * 0.3).astype('float32'), 16_000)
    with pytest.raises(ValueError, match='expects one sub-folder per class'):
        pretrain(data=str(root), objective='supervised', out_dir=str(tmp_path / 'run'), **{**TINY, 'clip_seconds': 1.0})
