"""Few-shot evaluation at scale: the batched read-out against scikit-learn, a random-init baseline, the commands."""
import json
import warnings

import pytest

from conftest import SLOW, run


@pytest.fixture(scope='module')
def features():
    from mtslvr.embeddings import extract_features
    from mtslvr.labelled import FewShotSet
    from mtslvr.framework import Encoder
    enc = Encoder('mt_parallel', init_seed=0)
    return extract_features(enc, FewShotSet('synthetic'), cache_dir=None, progress=False)


@pytest.mark.slow
@pytest.mark.skipif(not SLOW, reason='statistical agreement over 2,000 scikit-learn fits (MTSLVR_SLOW=1)')
def test_batched_readout_matches_sklearn(features):
    "With shuffling (different orders), the batched read-out's mean accuracy over 2,000 tasks is within 1 point of scikit-learn's."
    from mtslvr.fewshot import run_readout, sample_episodes
    ep = sample_episodes(features, n_tasks=2000, seed=42)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        sk, bt = run_readout(features, ep, 'sklearn').mean().item(), run_readout(features, ep, 'batched').mean().item()
    assert abs(sk - bt) * 100 < 1.0, (sk, bt)


@pytest.mark.slow
@pytest.mark.skipif(not SLOW, reason='10,000 tasks on features of the embedded set (MTSLVR_SLOW=1); 24_evaluate checks 1,000')
def test_random_init_beats_chance(features):
    "A random-init encoder on the embedded set scores above 20 % with a CI95 (10,000 tasks) that excludes it."
    from mtslvr.fewshot import ci95, run_readout, sample_episodes
    acc = run_readout(features, sample_episodes(features, n_tasks=10_000, seed=42), 'batched')
    assert acc.mean().item() * 100 - ci95(acc) > 20


def test_eval_and_demo_commands(tmp_path):
    "mtslvr-demo pre-trains two models, evaluates them with the calibrated random baseline and writes the table and plot; mtslvr-eval reads them."
    r = run(['mtslvr-demo', '--out-dir', str(tmp_path), '--steps', '4', '--n-tasks', '500'], timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    assert '| *random-bn* |' in r.stdout and '| *random* |' not in r.stdout and '| mt_parallel |' in r.stdout and '| cont_only |' in r.stdout
    assert '| *logmel (baseline)* |' in r.stdout and 'nearest centroid' in r.stdout  # baseline row and both read-outs by default
    assert (tmp_path / 'results.png').stat().st_size > 0
    saved = json.loads((tmp_path / 'results.json').read_text())
    assert set(saved['results']) == {'batched', 'centroid'}
    assert set(saved['results']['batched']) == {'random-bn', 'mt_parallel', 'cont_only', 'logmel (baseline)'}
    assert saved['kinds'] == {'random-bn': 'random', 'mt_parallel': 'trained', 'cont_only': 'trained', 'logmel (baseline)': 'baseline'}
    r = run(['mtslvr-eval', '--models', f'mine={tmp_path}/mt_parallel/best_backbone.safetensors', 'random:mt_bn', '--n-tasks', '300',
             '--readouts', 'centroid', '--out-dir', str(tmp_path / 'eval'), '--no-progress'], timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    assert '| mine |' in r.stdout and 'Avg rank' in r.stdout and 'mine on synthetic, centroid:' in r.stdout  # per-set lines survive --no-progress
