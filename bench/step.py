"""One MT-SLVR training step per variant: augmentation + 3-channel input + forward + backward + Adam.

    python bench/step.py                                   # CPU default: batch 8, 10 s clips
    python bench/step.py --batch 100 --seconds 10 --device cuda --bf16 --channels-last

For split and adapter variants the shared trunk (stem + layer1, run once per view) is compared in the same run
with the authors' per-task recomputation. Model FLOPs (forward + backward, counted by torch's FlopCounterMode)
give the achieved TFLOP/s and, with --peak-tflops, the model FLOP utilisation.
"""
import argparse
import platform
import statistics
import time

import torch
from torch.utils.flop_counter import FlopCounterMode

from mtslvr.core import SAMPLE_RATE, default_device, make_generator
from mtslvr.framework import MTSLVR
from mtslvr.models import VARIANTS
from mtslvr.models import AdapterResNet


def sync(d):
    if d.type == 'cuda': torch.cuda.synchronize()


def naive_encode(model):
    "The authors' path: the trunk recomputed for each task."
    def encode(spec):
        if model.channels_last: spec = spec.contiguous(memory_format=torch.channels_last)
        return model.backbone(spec, 0), model.backbone(spec, 1)
    return encode


def step_fn(model, opt, waves, bf16):
    def step():  # the same augmentation draws every step, so every path and repeat does identical work
        with torch.autocast(waves.device.type, dtype=torch.bfloat16, enabled=bf16):
            out = model(waves, make_generator(1, waves.device))
        opt.zero_grad(set_to_none=True)
        out['loss'].backward()
        opt.step()
    return step


def model_flops(model, waves, g, bf16):
    "FLOPs of backbone + heads, forward and backward, for one step (augmentation and spectrogram excluded)."
    with torch.autocast(waves.device.type, enabled=False):
        v = model.augment(waves, g)
        s = [model.features(w) for w in (v.view1, v.view2) if w is not None]
    fc = FlopCounterMode(display=False)
    with fc, torch.autocast(waves.device.type, dtype=torch.bfloat16, enabled=bf16):
        feats = [model.encode(x) for x in s]
        loss = sum(t.float().pow(2).mean() for pair in feats for t in set(pair))
        loss.backward()
    model.zero_grad(set_to_none=True)
    return fc.get_total_flops()


def timed(fn, d, n):
    ts = []
    for _ in range(n):
        sync(d); t = time.perf_counter(); fn(); sync(d); ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--variants', nargs='+', default=list(VARIANTS))
    ap.add_argument('--cont', default='simclr')
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--seconds', type=float, default=10.0)
    ap.add_argument('--steps', type=int, default=2, help='timed steps (after one warm-up step)')
    ap.add_argument('--device', default=None)
    ap.add_argument('--bf16', action='store_true', help='bfloat16 autocast for the network')
    ap.add_argument('--channels-last', action='store_true')
    ap.add_argument('--peak-tflops', type=float, default=None, help='device peak for MFU (e.g. 989 for H100 SXM bf16)')
    a = ap.parse_args()
    d = default_device(a.device)
    name = torch.cuda.get_device_name(d) if d.type == 'cuda' else platform.processor() or platform.machine()
    print(f'device {d} ({name}), torch {torch.__version__}, threads {torch.get_num_threads()}; batch {a.batch} x '
          f'{a.seconds:g} s, {a.cont}, bf16 {a.bf16}, channels_last {a.channels_last}', flush=True)
    waves = torch.randn(a.batch, int(a.seconds * SAMPLE_RATE), generator=make_generator(0)).to(d) * 0.3
    for v in a.variants:
        model = MTSLVR(v, cont=a.cont, aug_seed=0, init_seed=0, channels_last=a.channels_last).to(d)
        if a.channels_last: model = model.to(memory_format=torch.channels_last)
        opt = torch.optim.Adam(model.parameters(), lr=5e-5, weight_decay=1e-6)
        g = make_generator(1, d)
        aug_t = timed(lambda: model.augment(waves, make_generator(1, d)), d, a.steps)
        paths = [('shared trunk', model.encode)]
        if model.multi_task: paths.append(('per-task trunk', naive_encode(model)))
        res = []
        for label, enc in paths:
            model.encode = enc
            step = step_fn(model, opt, waves, a.bf16)
            step()  # warm-up
            t = timed(step, d, a.steps)
            # useful work = the shared path's FLOPs: the per-task path's recomputed trunk counts as waste
            flops = res[0][2] if res else model_flops(model, waves, make_generator(1, d), a.bf16)
            res.append((label, t, flops))
        del model.encode
        line = f'{v:12s} | augmentation {aug_t * 1e3:7.0f} ms of each step | '
        for label, t, flops in res:
            line += f'{label}: {t * 1e3:8.0f} ms/step, {a.batch / t:7.1f} clips/s, {flops / t / 1e12:6.2f} TFLOP/s'
            if a.peak_tflops: line += f' (MFU {100 * flops / t / 1e12 / a.peak_tflops:4.1f} %)'
            line += ' | '
        if len(res) == 2: line += f'trunk once vs per task: {res[1][1] / res[0][1]:4.2f}x'
        print(line, flush=True)


if __name__ == '__main__': main()
