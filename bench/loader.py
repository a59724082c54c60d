"""Where to augment during pre-training: in the training step or in the DataLoader workers, in one interleaved run.

    python bench/loader.py                              # mt_parallel, batch 16 of 2-s clips, 0 / 1 / 2 workers
    python bench/loader.py --variant cont_only --batch 32 --seconds 2 --workers 1 2 3 --steps 12 --repeats 3

Each case is a real `pretrain` run (a folder of WAV files, random crops, the paper's augmentations) of two epochs of
--steps steps; the second epoch's steps/s is taken, so worker start-up and the first batches do not count. The
reference is augmentation in the step with no workers (the default on machines with fewer than four cores), measured in
the same run; cases are interleaved over --repeats rounds and the median is reported.
"""
import argparse
import contextlib
import io
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import soundfile as sf
import torch

from mtslvr.core import SAMPLE_RATE
from mtslvr.data import SyntheticAudio
from mtslvr.train import pretrain


def corpus(root:Path, n:int, seconds:float) -> Path:
    "n clips of 2 x `seconds` of the embedded procedural audio, as WAV files (crops then differ per step)."
    ds = SyntheticAudio(n, 2 * seconds, seed=0)
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        sf.write(root / f'clip_{i:04d}.wav', ds[i].numpy(), SAMPLE_RATE, subtype='FLOAT')
    return root


def rate(data:Path, out:Path, args, place:str, workers:int) -> float:
    "Steps per second of the second epoch of a two-epoch run."
    with contextlib.redirect_stdout(io.StringIO()):  # the run's own log
        s = pretrain(data=str(data), out_dir=str(out), variant=args.variant, clip_seconds=args.seconds, batch_size=args.batch,
                     iters_per_epoch=args.steps, max_epochs=2, val_batches=1, augment_in=place, num_workers=workers,
                     progress=False, overwrite=True, norm='none')
    hist = [json.loads(line) for line in Path(s['metrics']).read_text().splitlines()]
    return hist[-1]['steps_per_s']


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--variant', default='mt_parallel')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--seconds', type=float, default=2.0)
    ap.add_argument('--steps', type=int, default=8)
    ap.add_argument('--workers', type=int, nargs='+', default=[1, 2])
    ap.add_argument('--repeats', type=int, default=2)
    args = ap.parse_args()
    print(f'{platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, '
          f'{torch.get_num_threads()} threads; {args.variant}, batch {args.batch} x {args.seconds:g} s, {args.steps} timed steps')
    cases = [('step', 0)] + [('step', w) for w in args.workers] + [('workers', w) for w in args.workers]
    with tempfile.TemporaryDirectory() as tmp:
        data = corpus(Path(tmp) / 'data', 4 * args.batch, args.seconds)
        got = {c: [] for c in cases}
        t0 = time.time()
        for _ in range(args.repeats):
            for c in cases:
                got[c].append(rate(data, Path(tmp) / 'run', args, *c))
    ref = statistics.median(got[('step', 0)])
    print(f"{'augment in':<10} {'workers':>7} {'steps/s':>8} {'vs step, 0 workers':>19}")
    for (place, w), r in got.items():
        m = statistics.median(r)
        print(f'{place:<10} {w:>7} {m:>8.3f} {m / ref:>18.2f}x')
    print(f'({time.time() - t0:.0f} s)')


if __name__ == '__main__':
    main()
