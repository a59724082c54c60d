"""Few-shot read-out speed: 10,000 tasks from cached 1000-d features, batched read-outs against the scikit-learn replica.

    python bench/fewshot.py                  # embedded few-shot set, random-init mt_parallel features
    python bench/fewshot.py --tasks 2000 --sklearn-tasks 2000

Feature extraction is timed separately (once); the read-outs then run on the same cached features and tasks.
"""
import argparse
import platform
import time
import warnings

import torch

from mtslvr.fewshot import FewShotSet, ci95, extract_features, run_readout, sample_episodes
from mtslvr.framework import Encoder


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--tasks', type=int, default=10_000)
    ap.add_argument('--sklearn-tasks', type=int, default=10_000, help='tasks for the scikit-learn replica (slow)')
    ap.add_argument('--repeats', type=int, default=3)
    a = ap.parse_args()
    import sklearn
    print(f'{platform.processor() or platform.machine()}, torch {torch.__version__}, scikit-learn {sklearn.__version__}, '
          f'threads {torch.get_num_threads()}')
    enc = Encoder('mt_parallel', init_seed=0)
    t = time.perf_counter()
    fe = extract_features(enc, FewShotSet('synthetic'), cache_dir=None, progress=False)
    print(f'features: {len(fe.feats)} segments x {fe.feats.shape[1]} of {len(fe.clip_label)} clips in {time.perf_counter() - t:.1f} s (once)')
    t = time.perf_counter(); ep = sample_episodes(fe, n_tasks=a.tasks, seed=42)
    print(f'episodes: {a.tasks} tasks sampled in {(time.perf_counter() - t) * 1e3:.0f} ms')
    rows = {}
    for r in ('batched', 'centroid'):
        ts = []
        for _ in range(a.repeats):
            t = time.perf_counter(); acc = run_readout(fe, ep, r); ts.append(time.perf_counter() - t)
        rows[r] = (min(ts), acc, a.tasks)
    ep_sk = sample_episodes(fe, n_tasks=a.sklearn_tasks, seed=42)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        t = time.perf_counter(); acc = run_readout(fe, ep_sk, 'sklearn'); rows['sklearn'] = (time.perf_counter() - t, acc, a.sklearn_tasks)
    sk_t = rows['sklearn'][0] / rows['sklearn'][2]
    for r, (t, acc, n) in rows.items():
        print(f'{r:9s}: {n:6d} tasks in {t:7.3f} s ({n / t:9.0f} tasks/s, {sk_t * n / t:7.1f}x scikit-learn) | '
              f'accuracy {acc.mean() * 100:6.2f} ± {ci95(acc):.2f} %')
    n = min(a.tasks, a.sklearn_tasks)
    print(f'batched - sklearn on the same {n} tasks: {(rows["batched"][1][:n].mean() - rows["sklearn"][1][:n].mean()) * 100:+.2f} points')


if __name__ == '__main__': main()
