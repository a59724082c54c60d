"""Augmentation throughput: the batched engine against per-clip loops, in one run.

    python bench/augment.py                      # (batch, seconds) = (100, 10), (32, 5), (100, 1)
    python bench/augment.py --cases 32x5 --repeats 3 --device cuda

All paths produce two views of every clip from the same plans and parameters:
- batched: `mtslvr.augment.apply_plan` on the whole batch;
- torch ops (CPU only): the same, with the compiled loops of `mtslvr.kernels` switched off (`use_kernels(False)`),
  which is what other devices run;
- loop: a Python loop over clips calling the same mtslvr functions one clip at a time (the gain from batching);
- authors: a loop over clips calling torchaudio-based per-clip implementations that rebuild their resamplers and
  vocoders on each call, as torch-pitch-shift / torch-audiomentations do (bench/reference.py).
Reports clips/s (one clip = both views), the speed-ups, and milliseconds per augmentation for one batched call.
First it prints the pitch-shift roofline: the FLOP count of each fast ratio's pipeline (STFT, vocoder, inverse FFT,
overlap-add, resampling) and its compulsory memory traffic, against this machine's matmul rate and copy bandwidth
measured in the same run, and how far the measured time is from that floor.
"""
import argparse
import math
import platform
import statistics
import time

import torch

import reference
from mtslvr.augment import (AUGMENTATIONS, AUGMENT_FNS, ResampleCache, apply_plan, draw_params, fast_ratios, pitch_shift,
                            sample_plan)
from mtslvr.core import SAMPLE_RATE, default_device, make_generator
from mtslvr.kernels import kernels_on, use_kernels


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
    times = {'batched': [], 'torch ops': [], 'loop': [], 'authors': []}
    for r in range(repeats + 1):  # first round warms up (kernel caches, allocator)
        plan = sample_plan(B, 7, g)
        p1, p2 = (draw_params(AUGMENTATIONS, B, L, g) for _ in range(2))
        t = dict(batched=timed(lambda: (apply_plan(x, plan, p1), apply_plan(x, plan, p2)), device))
        if kernels_on(x):  # the same batched engine without the compiled CPU loops
            with use_kernels(False):
                t['torch ops'] = timed(lambda: (apply_plan(x, plan, p1), apply_plan(x, plan, p2)), device)
        if loop:  # interleaved in one round so machine noise hits all three alike
            t['loop'] = timed(lambda: (per_clip(x, plan, p1), per_clip(x, plan, p2)), device)
            t['authors'] = timed(lambda: (per_clip(x, plan, p1, reference.FNS), per_clip(x, plan, p2, reference.FNS)), device)
        if r:
            for k, v in t.items(): times[k].append(v)
    med = {k: statistics.median(v) for k, v in times.items() if v}
    print(f'{B:5d} x {secs:4.1f} s | ' + ' | '.join(f'{k} {B / v:7.1f} clips/s ({v * 1e3:8.0f} ms)' for k, v in med.items())
          + ''.join(f' | batched vs {k} {med[k] / med["batched"]:4.1f}x' for k in med if k != 'batched'), flush=True)
    per_aug = {}
    for a in AUGMENTATIONS:  # one batched call on the whole batch
        p = draw_params((a,), B, L, g)[a]
        AUGMENT_FNS[a](x, **p)
        per_aug[a] = statistics.median(timed(lambda: AUGMENT_FNS[a](x, **p), device) for _ in range(repeats))
    print('      per augmentation, whole batch, ms: ' + ', '.join(f'{a} {t * 1e3:.1f}' for a, t in per_aug.items()))
    print('      per augmentation, per clip,   ms: ' + ', '.join(f'{a} {t * 1e3 / B:.2f}' for a, t in per_aug.items()), flush=True)


def fft_flops(n):
    "Real FFT of size n: the usual 2.5 n log2 n count."
    return 2.5 * n * math.log2(n)


def pitch_floor(L, ratio, sample_rate=SAMPLE_RATE):
    "(FLOPs, compulsory bytes) of one pitch shift of an L-sample float32 clip by `ratio` (n_fft sr/64, hop n_fft/32)."
    n_fft = sample_rate // 64; hop = n_fft // 32; n_freq = n_fft // 2 + 1
    T = 1 + L // hop
    n_out = math.ceil(T * float(ratio))
    flops = T * fft_flops(n_fft)  # STFT
    flops += n_out * n_freq * (2 * 4 + 3 + 2)  # two magnitudes, interpolated, times the phasor
    flops += n_out * n_freq * (8 + 3 + 8 + 6)  # phase step w = u1 conj(u0) (norms, rsqrt) and the phasor's advance
    flops += n_out * (fft_flops(n_fft) + n_fft)  # inverse FFT and overlap-add
    p, q = ratio.numerator, ratio.denominator
    taps = ResampleCache.kernel_size(p, q) / q  # resampling taps per output sample
    flops += 2 * taps * L
    return flops, 8 * L  # the clip read once, the result written once


def machine_peaks(device, n=2048, mb=256):
    "(FLOP/s of a float32 matmul, bytes/s of a large copy), measured now."
    a = torch.randn(n, n, device=device); a @ a; sync(device)
    t = min(timed(lambda: a @ a, device) for _ in range(3))
    x = torch.empty(mb * 2**18, device=device); y = x.clone()
    tb = min(timed(lambda: y.copy_(x), device) for _ in range(3))
    return 2 * n ** 3 / t, 2 * x.numel() * 4 / tb


def roofline(device, repeats, secs=10.0):
    "Print the pitch-shift floor at (1 clip, secs) for each fast ratio and the measured time against it."
    L = int(secs * SAMPLE_RATE)
    peak_flops, peak_bw = machine_peaks(device)
    print(f'roofline: matmul {peak_flops / 1e9:.1f} GFLOP/s, copy {peak_bw / 1e9:.1f} GB/s '
          f'(pitch shift of one {secs:g} s clip, n_fft {SAMPLE_RATE // 64}, hop {SAMPLE_RATE // 64 // 32})')
    x = torch.randn(1, L, device=device, generator=make_generator(1, device)) * 0.3
    total_floor = total_time = 0.0
    for r in fast_ratios():
        flops, nbytes = pitch_floor(L, r)
        floor = max(flops / peak_flops, nbytes / peak_bw)
        num, den = (torch.tensor([v], device=device) for v in (r.numerator, r.denominator))
        pitch_shift(x, num, den)
        t = statistics.median(timed(lambda: pitch_shift(x, num, den), device) for _ in range(repeats))
        total_floor += floor; total_time += t
        print(f'  ratio {str(r):>7}: {flops / 1e9:5.2f} GFLOP, floor {floor * 1e3:6.1f} ms, measured {t * 1e3:6.1f} ms, '
              f'{flops / t / 1e9:5.1f} GFLOP/s, {t / floor:4.1f}x the floor')
    print(f'  all fast ratios: {total_time / total_floor:.1f}x the floor', flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--cases', nargs='+', default=['100x10', '32x5', '100x1'], help='BATCHxSECONDS')
    ap.add_argument('--repeats', type=int, default=2)
    ap.add_argument('--device', default=None)
    ap.add_argument('--no-loop', action='store_true', help='skip the per-clip reference')
    ap.add_argument('--no-roofline', action='store_true', help='skip the pitch-shift floor')
    a = ap.parse_args()
    device = default_device(a.device)
    name = torch.cuda.get_device_name(device) if device.type == 'cuda' else platform.processor() or platform.machine()
    print(f'device {device} ({name}), torch {torch.__version__}, threads {torch.get_num_threads()}, '
          f'python {platform.python_version()}')
    if not a.no_roofline: roofline(device, a.repeats)
    for case in a.cases:
        B, secs = case.split('x')
        bench_case(int(B), float(secs), device, a.repeats, not a.no_loop)


if __name__ == '__main__': main()
