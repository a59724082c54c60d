"""Augmentation throughput: the batched engine against per-clip loops, in one run.

    python bench/augment.py                      # (batch, seconds) = (100, 10), (32, 5), (100, 1)
    python bench/augment.py --cases 32x5 --repeats 3 --device cuda

All paths produce two views of every clip from the same plans and parameters:
- batched: `mtslvr.augment.apply_plan` on the whole batch;
- loop: a Python loop over clips calling the same mtslvr functions one clip at a time (the gain from batching);
- authors: a loop over clips calling torchaudio-based per-clip implementations that rebuild their resamplers and
  vocoders on each call, as torch-pitch-shift / torch-audiomentations do (bench/reference.py).
Reports clips/s (one clip = both views), the speed-ups, and milliseconds per augmentation for one batched call.
"""
import argparse
import platform
import statistics
import time

import torch

import reference
from mtslvr.augment import AUGMENTATIONS, AUGMENT_FNS, TwoViewAugment, apply_plan, draw_params, sample_plan
from mtslvr.core import SAMPLE_RATE, default_device, make_generator


def sync(device):
    if device.type == 'cuda': torch.cuda.synchronize()


def per_clip(x, plan, params, fns=AUGMENT_FNS):
    "One clip at a time, its augmentations one after another."
    out = []
    for b in range(x.shape[0]):
        y = x[b:b + 1]
        for a in plan[b].tolist():
            if a >= 0: y = fns[AUGMENTATIONS[a]](y, **{k: v[b:b + 1] for k, v in params[AUGMENTATIONS[a]].items()})
        out.append(y)
    return torch.cat(out)


def timed(fn, device):
    sync(device); t = time.perf_counter(); fn(); sync(device)
    return time.perf_counter() - t


def bench_case(B, secs, device, repeats, loop):
    L = int(secs * SAMPLE_RATE)
    g = make_generator(0, device)
    x = torch.randn(B, L, device=device, generator=g) * 0.3
    times = {'batched': [], 'loop': [], 'authors': []}
    for r in range(repeats + 1):  # first round warms up (kernel caches, allocator)
        plan = sample_plan(B, 7, g)
        p1, p2 = (draw_params(AUGMENTATIONS, B, L, g) for _ in range(2))
        t = dict(batched=timed(lambda: (apply_plan(x, plan, p1), apply_plan(x, plan, p2)), device))
        if loop:  # interleaved in one round so machine noise hits all three alike
            t['loop'] = timed(lambda: (per_clip(x, plan, p1), per_clip(x, plan, p2)), device)
            t['authors'] = timed(lambda: (per_clip(x, plan, p1, reference.FNS), per_clip(x, plan, p2, reference.FNS)), device)
        if r:
            for k, v in t.items(): times[k].append(v)
    med = {k: statistics.median(v) if v else float('nan') for k, v in times.items()}
    print(f'{B:5d} x {secs:4.1f} s | ' + ' | '.join(f'{k} {B / v:7.1f} clips/s ({v * 1e3:8.0f} ms)' for k, v in med.items())
          + f' | batched vs loop {med["loop"] / med["batched"]:4.1f}x, vs authors {med["authors"] / med["batched"]:4.1f}x', flush=True)
    per_aug = {}
    for a in AUGMENTATIONS:  # one batched call on the whole batch
        p = draw_params((a,), B, L, g)[a]
        AUGMENT_FNS[a](x, **p)
        per_aug[a] = statistics.median(timed(lambda: AUGMENT_FNS[a](x, **p), device) for _ in range(repeats))
    print('      per augmentation, whole batch, ms: ' + ', '.join(f'{a} {t * 1e3:.1f}' for a, t in per_aug.items()))
    print('      per augmentation, per clip,   ms: ' + ', '.join(f'{a} {t * 1e3 / B:.2f}' for a, t in per_aug.items()), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--cases', nargs='+', default=['100x10', '32x5', '100x1'], help='BATCHxSECONDS')
    ap.add_argument('--repeats', type=int, default=2)
    ap.add_argument('--device', default=None)
    ap.add_argument('--no-loop', action='store_true', help='skip the per-clip reference')
    a = ap.parse_args()
    device = default_device(a.device)
    name = torch.cuda.get_device_name(device) if device.type == 'cuda' else platform.processor() or platform.machine()
    print(f'device {device} ({name}), torch {torch.__version__}, threads {torch.get_num_threads()}, '
          f'python {platform.python_version()}')
    for case in a.cases:
        B, secs = case.split('x')
        bench_case(int(B), float(secs), device, a.repeats, not a.no_loop)


if __name__ == '__main__': main()
