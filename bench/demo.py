"""How long a newcomer waits for `mtslvr-demo`, the README's quick-start command, timed from outside the process.

    python bench/demo.py              # one run of mtslvr-demo into a temporary folder
    python bench/demo.py --repeats 2  # the median of two

Each run starts as a fresh clone's first run does: in an empty working folder (no feature cache), with an empty
matplotlib configuration folder and without the compiled numba kernels cached in the package. The reference, measured
in the same run, is the command's start-up alone (`python -c 'import mtslvr.evaluate'`): the ratio says how much of the
wait is the demo's own work. The README's demo time is this script's median wall time.
"""
import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch


def cold(tmp:str) -> dict:
    "The environment of a first run: numba's cached kernels removed, a new matplotlib folder."
    import mtslvr
    for f in Path(mtslvr.__file__).parent.joinpath('__pycache__').glob('*.nb[ic]'):
        f.unlink()
    return {**os.environ, 'MPLCONFIGDIR': str(Path(tmp) / 'mpl')}


def timed(cmd:list[str], cwd:str|None=None, env:dict|None=None) -> tuple[float, str]:
    "(wall seconds, stdout) of one run of `cmd`, which must succeed."
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env)
    wall = time.perf_counter() - t0
    if r.returncode:
        sys.exit(f'{cmd[0]} failed:\n{r.stderr[-3000:]}')
    return wall, r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--repeats', type=int, default=1)
    args = ap.parse_args()
    import mtslvr
    print(f'{platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, '
          f'{torch.get_num_threads()} threads, mtslvr {mtslvr.__version__}; mtslvr-demo with its defaults, --no-progress')
    demo = Path(sys.executable).with_name('mtslvr-demo')
    starts, walls, own = [], [], []
    for _ in range(args.repeats):
        starts.append(timed([sys.executable, '-c', 'import mtslvr.evaluate'])[0])
        with tempfile.TemporaryDirectory() as tmp:
            wall, out = timed([str(demo), '--out-dir', 'demo', '--no-progress'], cwd=tmp, env=cold(tmp))
        walls.append(wall)
        own.append(float(re.search(r'\((\d+) s in all\)', out).group(1)))
    print(out.split('\nplot:')[0].strip())  # the last run's table
    s, w = statistics.median(starts), statistics.median(walls)
    print(f"{'':<28} {'seconds':>8} {'vs start-up':>12}")
    print(f"{'start-up (import)':<28} {s:>8.1f} {1:>11.2f}x")
    print(f"{'mtslvr-demo, wall':<28} {w:>8.1f} {w / s:>11.2f}x")
    print(f"{'mtslvr-demo, its own count':<28} {statistics.median(own):>8.1f} {statistics.median(own) / s:>11.2f}x")


if __name__ == '__main__':
    main()
