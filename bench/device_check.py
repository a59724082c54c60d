"""Device check: every GPU-relevant measurement of mtslvr in one command, one JSON file and one table.

    python bench/device_check.py                      # full run on the default device (cuda when present), <= 10 min on one H100/H200
    python bench/device_check.py --quick              # every stage at tiny sizes on CPU (< 2 min on 2 cores)
    python bench/device_check.py --stages c,e --timeout 200 --out /tmp/x.json

Stages (each runs in its own process, with its own time limit; a stage that fails or times out is recorded and the
next one runs; the JSON is rewritten after every stage, so it always exists):
  a notebooks  the notebooks holding `gpu`-flagged cells, each under `nbdev_test --flags gpu` (CPU: `--flags ''`;
               --quick: 00_core and 20_checkpoints only): pass/fail and seconds per notebook.
  b augment    augmentation throughput at (batch, seconds) = (100, 10), (32, 5), (100, 1): the batched engine
               (`apply_plan`) against a per-clip loop over the same functions and against the authors'-style
               per-clip torchaudio stack (bench/reference.py), same plans and parameters; ms per augmentation
               (each of the seven alone on the batch); peak memory of each path.
  c train_step one `mtslvr.train.train_step` (MTSLVR + Adam) for mt_parallel and cont_only at batch 100 x 10 s in
               fp32, bf16 autocast, bf16 + channels-last, bf16 + channels-last + torch.compile: ms/step, TFLOP/s
               from a conv/linear FLOP count of the backbone, MFU against the device's dense bf16 peak, peak memory,
               and the share of the step spent in augmentation.
  d resume     `torchrun --nproc_per_node 1 mtslvr-pretrain` on tiny settings: an uninterrupted run against one
               killed with SIGKILL after its first epoch and resumed; max abs weight difference of the two.
  e features   evaluation features of `Encoder('mt_parallel')` on 5-s segments, fp32 against bf16 autocast:
               clips/s, few-shot accuracy (centroid read-out, CI95) of both, whether they agree within the CI,
               cosine similarity of the embeddings.

--quick sizes: b 4 clips x 1 s; c batch 4 x 1 s, fp32 and bf16 (on CPUs without native bf16 the bf16 rows run on 2 clips,
without warm-up); d batch 4, 2 epochs of 2 iterations; e 1-s segments, 5 classes x 2 clips, 200 tasks.

Timing follows nanoGPT's bench.py: fixed synthetic inputs, a warm-up phase, then a timed phase with the device
synchronised around every timed call; medians are reported. Every stage record carries the host facts (device
name, driver, torch / CUDA / cuDNN / torchaudio versions, git sha).

On a machine without a checkout (no .git), pass the commit: --git-sha SHA (or $MTSLVR_GIT_SHA).
Python packages the run needs beyond torch / torchaudio: bench/device_wheels.txt.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / 'bench'
for _p in (str(BENCH), str(ROOT)):
    if _p not in sys.path: sys.path.insert(0, _p)

STAGES = dict(a='notebooks', b='augment', c='train_step', d='resume', e='features')
TIMEOUTS = dict(full=dict(a=180, b=150, c=330, d=150, e=120), quick=dict(a=120, b=90, c=90, d=120, e=90))
QUICK_NOTEBOOKS = ('00_core.ipynb', '20_checkpoints.ipynb')
MIN_STAGE_S = 20  # time kept back for each later stage when the overall budget runs short

# dense bf16 tensor-core peaks (TFLOP/s, no sparsity) by device name; the first matching pattern wins
PEAK_BF16 = [(r'\bh100\b.*\bnvl\b', 835.0), (r'\bh100\b.*\bpcie\b', 756.0), (r'\bh100\b', 989.0), (r'h200\b', 989.0),
             (r'\ba100\b', 312.0), (r'\bl40s\b', 362.0), (r'\bl4\b', 121.0), (r'\b4090\b', 165.0), (r'\ba10g\b', 70.0)]


def peak_bf16_tflops(name):
    "Dense bf16 peak of the device called `name`, or None when unknown."
    n = (name or '').lower()
    return next((v for pat, v in PEAK_BF16 if re.search(pat, n)), None)


def slug(s):
    return re.sub(r'[^a-z0-9]+', '-', (s or 'unknown').lower()).strip('-')[:60] or 'unknown'


def cpu_name():
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'): return line.split(':', 1)[1].strip()
    except OSError: pass
    return platform.processor() or platform.machine()


def sh(cmd, timeout=20):
    "stdout of `cmd` stripped, or None when it cannot run."
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        return r.stdout.strip() if r.returncode == 0 else None
    except (OSError, subprocess.SubprocessError): return None


def git_info(override=None):
    sha = override or os.environ.get('MTSLVR_GIT_SHA') or sh(['git', 'rev-parse', 'HEAD'])
    dirty = sh(['git', 'status', '--porcelain', '--untracked-files=no']) if not override else None
    return sha, (bool(dirty) if dirty is not None else None)


def environment(device, git_sha=None):
    "Host facts recorded with every stage."
    import torch
    sha, dirty = git_info(git_sha)
    try: import torchaudio; ta = torchaudio.__version__
    except Exception as e: ta = f'unavailable ({type(e).__name__})'
    smi = sh(['nvidia-smi', '--query-gpu=name,driver_version', '--format=csv,noheader'])
    env = dict(device=str(device), python=platform.python_version(), torch=torch.__version__, cuda=torch.version.cuda,
               cudnn=torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None, torchaudio=ta,
               git_sha=sha, git_dirty=dirty, host=platform.node(), cpu=cpu_name(), cpu_count=os.cpu_count(),
               torch_threads=torch.get_num_threads(), driver=smi.splitlines()[0].split(',')[-1].strip() if smi else None)
    if device.type == 'cuda':
        p = torch.cuda.get_device_properties(device)
        env.update(device_name=p.name, capability=f'{p.major}.{p.minor}', memory_gib=round(p.total_memory / 2**30, 1),
                   sm_count=p.multi_processor_count, tf32_matmul=torch.backends.cuda.matmul.allow_tf32,
                   tf32_cudnn=torch.backends.cudnn.allow_tf32, cudnn_benchmark=torch.backends.cudnn.benchmark)
    else: env['device_name'] = cpu_name()
    env['peak_bf16_tflops'] = peak_bf16_tflops(env['device_name']) if device.type == 'cuda' else None
    return env


def clean(o):
    "JSON-safe copy: NaN / inf -> None, tensors and paths -> numbers / strings."
    if isinstance(o, dict): return {str(k): clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)): return [clean(v) for v in o]
    if isinstance(o, float): return o if math.isfinite(o) else None
    if isinstance(o, (bool, int, str)) or o is None: return o
    if hasattr(o, 'item') and getattr(o, 'ndim', 1) == 0: return clean(o.item())
    return str(o)


def write_json(path, obj):
    path = Path(path); path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + '.tmp')
    tmp.write_text(json.dumps(clean(obj), indent=1) + '\n'); os.replace(tmp, path)


# ------------------------------------------------------------------------------------------------ measuring

def sync(d):
    import torch
    if d.type == 'cuda': torch.cuda.synchronize(d)


def bench(fn, d, warmup, iters):
    "nanoGPT discipline: `warmup` untimed calls, then `iters` calls each timed between device synchronisations."
    ts, first = [], None
    for i in range(warmup + iters):
        sync(d); t = time.perf_counter(); fn(); sync(d); t = time.perf_counter() - t
        if i == 0: first = t
        if i >= warmup: ts.append(t)
    ts.sort()
    return dict(ms=1e3 * ts[len(ts) // 2], ms_mean=1e3 * sum(ts) / len(ts), ms_min=1e3 * ts[0], n=len(ts), first_ms=1e3 * first)


class PeakMem:
    "Peak memory inside the block: torch.cuda.max_memory_allocated on CUDA, sampled process RSS on CPU (MiB)."
    def __init__(self, d):
        self.d, self.peak_mib, self.above_start_mib = d, None, None

    def __enter__(self):
        import torch
        if self.d.type == 'cuda':
            sync(self.d); torch.cuda.reset_peak_memory_stats(self.d); self.start = torch.cuda.memory_allocated(self.d)
        else:
            try: import psutil; self.proc = psutil.Process()
            except ImportError: self.proc = None
            self.start = self._rss(); self.max = self.start; self.stop = threading.Event()
            if self.proc is not None:
                self.th = threading.Thread(target=self._sample, daemon=True); self.th.start()
        return self

    def _rss(self):
        if getattr(self, 'proc', None) is not None: return self.proc.memory_info().rss
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    def _sample(self):
        while not self.stop.is_set():
            self.max = max(self.max, self._rss()); self.stop.wait(0.002)

    def __exit__(self, *exc):
        import torch
        if self.d.type == 'cuda':
            sync(self.d); peak = torch.cuda.max_memory_allocated(self.d)
        else:
            self.stop.set()
            if getattr(self, 'th', None) is not None: self.th.join()
            peak = max(self.max, self._rss())
        self.peak_mib, self.above_start_mib = peak / 2**20, (peak - self.start) / 2**20
        return False

    @property
    def kind(self):
        return 'cuda max_memory_allocated' if self.d.type == 'cuda' else 'process RSS (sampled)'


def run_logged(cmd, timeout, env=None, cwd=ROOT):
    "Run `cmd`; (returncode or 'timeout', seconds, combined output)."
    t = time.perf_counter()
    try:
        r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
        return r.returncode, time.perf_counter() - t, r.stdout + r.stderr
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'') + (e.stderr or b'')
        return 'timeout', time.perf_counter() - t, out.decode(errors='replace') if isinstance(out, bytes) else out


def child_env(a, extra=None):
    "Environment for processes a stage starts: the repository importable, the run's thread count."
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([str(ROOT)] + ([env['PYTHONPATH']] if env.get('PYTHONPATH') else []))
    env['PATH'] = os.pathsep.join([str(Path(sys.executable).parent), env.get('PATH', '')])
    env.setdefault('PYTHONWARNINGS', 'ignore::DeprecationWarning')
    if a.threads: env['OMP_NUM_THREADS'] = str(a.threads)
    if a.device == 'cpu': env['CUDA_VISIBLE_DEVICES'] = ''
    env.update(extra or {})
    return env


def console_script(name):
    "Path of an installed console script (next to this interpreter, or on PATH), or None."
    p = Path(sys.executable).parent / name
    return str(p) if p.exists() else shutil.which(name)


# ------------------------------------------------------------------------------------------------ stages

def stage_notebooks(a, d, rec, save):
    import json as _json
    from concurrent.futures import ThreadPoolExecutor
    nbs = sorted((ROOT / 'nbs').glob('*.ipynb'))
    if a.notebooks: nbs = [ROOT / 'nbs' / n if not n.endswith('.ipynb') and (ROOT / 'nbs' / n).exists() else
                           ROOT / 'nbs' / (n if n.endswith('.ipynb') else n + '.ipynb') for n in a.notebooks.split(',')]
    elif a.quick: nbs = [ROOT / 'nbs' / n for n in QUICK_NOTEBOOKS]
    else:
        def has_gpu_cell(p):
            for c in _json.loads(p.read_text())['cells']:
                head = ''.join(c.get('source', '')).splitlines()[:5]
                if c['cell_type'] == 'code' and any(re.match(r'\s*#\s*\|\s*gpu\b', l) for l in head): return True
            return False
        nbs = [p for p in nbs if has_gpu_cell(p)]
    flags = 'gpu' if d.type == 'cuda' else ''
    exe = console_script('nbdev_test')
    base = [exe] if exe else [sys.executable, '-c', 'import sys; from nbdev.test import nbdev_test; sys.argv[0] = "nbdev_test"; nbdev_test()']
    jobs = a.nb_jobs or (2 if d.type == 'cpu' else max(1, min(4, (os.cpu_count() or 4) // 4)))
    env = child_env(a, None if a.threads else {'OMP_NUM_THREADS': str(max(1, (os.cpu_count() or 1) // jobs))})
    rec.update(flags=flags, jobs=jobs, runner=base[0] if exe else 'python -c nbdev.test.nbdev_test', notebooks={})
    print(f'  {len(nbs)} notebook(s), flags {flags!r}, {jobs} at a time', flush=True)
    for p in nbs: rec['notebooks'][p.name] = dict(passed=None, state='not finished')  # what a stage timeout leaves
    save()
    nb_timeout = min(a.nb_timeout, a.stage_timeout)

    def one(p):
        rc, s, out = run_logged([*base, '--path', str(p), '--n_workers', '0', '--flags', flags, '--do_print'], nb_timeout, env)
        ok = rc == 0 and 'Success.' in out
        r = dict(passed=ok, seconds=round(s, 1), returncode=rc)
        if not ok: r['output_tail'] = out[-3000:]
        rec['notebooks'][p.name] = r; save()
        print(f'  {p.name:28s} {"pass" if ok else "FAIL"} {s:6.1f} s', flush=True)
        return ok

    tmp = tempfile.mkdtemp(prefix='mtslvr-nbs-')  # the notebooks' temporary files (checkpoints), removed after the stage
    env = {**env, 'TMPDIR': tmp}
    try:
        with ThreadPoolExecutor(jobs) as ex: results = list(ex.map(one, nbs))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rec['passed'], rec['total'] = sum(results), len(results)
    rec['summary'] = f'{sum(results)}/{len(results)} notebooks pass (flags {flags!r})'
    if not all(results) or not results: rec['status'] = 'failed'


def stage_augment(a, d, rec, save):
    import torch
    import reference
    from augment import per_clip
    from mtslvr.augment import AUGMENTATIONS, AUGMENT_FNS, apply_plan, draw_params, sample_plan
    from mtslvr.core import SAMPLE_RATE, make_generator
    cases = [(4, 1.0)] if a.quick else [(100, 10.0), (32, 5.0), (100, 1.0)]
    warm, reps = (1, 1) if a.quick else (1, 2)
    rec.update(cases=[], warmup=warm, timed=reps, memory=PeakMem(d).kind,
               note='one clip = both views; loop and authors apply the same plans and parameters one clip at a time')
    for B, secs in cases:
        L = int(secs * SAMPLE_RATE)
        g = make_generator(0, d)
        x = torch.randn(B, L, device=d, generator=g) * 0.3
        paths = dict(batched=lambda pl, p: apply_plan(x, pl, p), loop=lambda pl, p: per_clip(x, pl, p),
                     authors=lambda pl, p: per_clip(x, pl, p, reference.FNS))
        times, peaks, maxdiff = {k: [] for k in paths}, {k: 0.0 for k in paths}, 0.0
        for r in range(warm + reps):  # paths interleaved in every round: machine noise hits all three alike
            plan = sample_plan(B, len(AUGMENTATIONS), g)
            p1, p2 = (draw_params(AUGMENTATIONS, B, L, g) for _ in range(2))
            outs = {}
            for k, fn in paths.items():
                with PeakMem(d) as pm:
                    sync(d); t = time.perf_counter(); outs[k] = (fn(plan, p1), fn(plan, p2)); sync(d)
                    t = time.perf_counter() - t
                if r >= warm: times[k].append(t); peaks[k] = max(peaks[k], pm.peak_mib)
            maxdiff = max(maxdiff, max(float((u - v).abs().max()) for u, v in zip(outs['batched'], outs['loop'])))
            del outs
        med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
        case = dict(batch=B, seconds=secs, **{f'{k}_ms': 1e3 * t for k, t in med.items()},
                    **{f'{k}_clips_per_s': B / t for k, t in med.items()},
                    **{f'{k}_peak_mib': peaks[k] for k in paths},
                    speedup_vs_loop=med['loop'] / med['batched'], speedup_vs_authors=med['authors'] / med['batched'],
                    batched_vs_loop_max_abs_diff=maxdiff, per_aug={})
        for aug in AUGMENTATIONS:  # each augmentation alone on the whole batch
            p = draw_params((aug,), B, L, g)[aug]
            with PeakMem(d) as pm: t = bench(lambda: AUGMENT_FNS[aug](x, **p), d, warm, max(reps, 2))
            case['per_aug'][aug] = dict(ms=t['ms'], ms_per_clip=t['ms'] / B, peak_mib=pm.peak_mib)
        rec['cases'].append(case)
        rec['summary'] = 'batched clips/s (x vs loop, x vs authors): ' + '; '.join(
            f'{c["batch"]}x{c["seconds"]:g}s {c["batched_clips_per_s"]:.0f} (x{c["speedup_vs_loop"]:.1f}, x{c["speedup_vs_authors"]:.1f})' for c in rec['cases'])
        save()
        print(f'  {B:4d} x {secs:4.1f} s | batched {case["batched_clips_per_s"]:8.1f} clips/s | loop {case["loop_clips_per_s"]:7.1f} '
              f'| authors {case["authors_clips_per_s"]:7.1f} | x{case["speedup_vs_loop"]:.1f} vs loop, x{case["speedup_vs_authors"]:.1f} '
              f'vs authors | peak {case["batched_peak_mib"]:.0f} MiB', flush=True)
        print('       ms/aug on the batch: ' + ', '.join(f'{k} {v["ms"]:.1f}' for k, v in case['per_aug'].items()), flush=True)
        del x
        if d.type == 'cuda': torch.cuda.empty_cache()


def count_macs(model, spec):
    "Multiply-adds of the backbone's Conv2d and Linear layers for one pass of `spec` (forward hooks on the module graph)."
    import torch
    import torch.nn as nn
    macs = dict(conv=0, linear=0)
    def conv_hook(m, i, o):
        macs['conv'] += o.numel() * (m.in_channels // m.groups) * math.prod(m.kernel_size)
    def linear_hook(m, i, o):
        macs['linear'] += o.numel() * m.in_features
    hooks = [m.register_forward_hook(conv_hook if isinstance(m, nn.Conv2d) else linear_hook)
             for m in model.backbone.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    was = model.training; model.eval()
    try:
        with torch.no_grad(): model.encode(spec)
    finally:
        for h in hooks: h.remove()
    from torch.utils.flop_counter import FlopCounterMode
    fc = FlopCounterMode(display=False)  # torch's own count of the same pass, as a cross-check
    try:
        with torch.no_grad(), fc: model.encode(spec)
    finally: model.train(was)
    return macs, fc.get_total_flops()


def _cpu_bf16_native():
    try:
        import torch
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception: return False


MODES = dict(fp32=(False, False, False), bf16=(True, False, False), bf16_cl=(True, True, False), bf16_cl_compile=(True, True, True))


def stage_train_step(a, d, rec, save):
    import gc
    import torch
    from mtslvr.core import SAMPLE_RATE, make_generator
    from mtslvr.framework import MTSLVR
    from mtslvr.train import train_step
    B, secs = (4, 1.0) if a.quick else (100, 10.0)
    warm, iters = (1, 2) if a.quick else (3, 10)
    # CPUs without native bf16 run bf16 convolutions on a slow reference path: --quick times those rows on half the batch
    slow_bf16 = d.type == 'cpu' and not _cpu_bf16_native()
    run_batch = lambda bf16: B // 2 if a.quick and bf16 and slow_bf16 else B
    warm_iters = lambda bf16, comp: ((0 if slow_bf16 and not comp else 1, 1) if a.quick and bf16 else (warm, iters))
    scope = dict(model=a.compile_scope == 'model')  # after one whole-model failure the next variants compile the backbone only
    variants = ('mt_parallel', 'cont_only')
    modes = ['fp32', 'bf16'] + (['bf16_cl', 'bf16_cl_compile'] if not a.quick else ['bf16_cl', 'bf16_cl_compile'] if a.compile else [])
    if a.no_compile: modes = [m for m in modes if not MODES[m][2]]
    L = int(secs * SAMPLE_RATE)
    waves = (torch.randn(B, L, generator=make_generator(0)) * 0.3).to(d)
    peak = rec['env']['peak_bf16_tflops']
    rec.update(batch=B, clip_seconds=secs, warmup=warm, timed=iters, peak_bf16_tflops=peak, memory=PeakMem(d).kind, flops={}, runs=[],
               augment_ms={}, flop_rule='2 x conv/linear multiply-adds of the backbone at (B, 3, 128, 1 + L//512) x 3 (fwd + bwd) x views; heads, '
                                       'spectrogram and augmentation excluded')

    def build(variant, cl):
        m = MTSLVR(variant, aug_seed=0, init_seed=0, channels_last=cl)
        m = m.to(d)
        if cl: m = m.to(memory_format=torch.channels_last)
        return m, torch.optim.Adam(m.parameters(), lr=5e-5, weight_decay=1e-6)

    for v in variants:  # FLOPs and augmentation time, once per variant
        m, _ = build(v, False)
        m_cpu = MTSLVR(v, aug_seed=0)
        macs, tfc = count_macs(m_cpu, torch.zeros(1, 3, 128, 1 + L // 512))
        views = m.augment.views
        fwd = 2 * (macs['conv'] + macs['linear'])
        rec['flops'][v] = dict(fwd_gmac_per_clip=(macs['conv'] + macs['linear']) / 1e9, conv_gmac=macs['conv'] / 1e9,
                               linear_gmac=macs['linear'] / 1e9, step_flops=fwd * B * views * 3, views=views,
                               torch_flop_counter_ratio=tfc / fwd if fwd else None)
        t = bench(lambda: m.augment(waves, make_generator(1, d)), d, 1, max(2, iters // 3))
        rec['augment_ms'][v] = t['ms']
        print(f'  {v:12s} backbone {rec["flops"][v]["fwd_gmac_per_clip"]:.3f} GMAC/clip forward -> {rec["flops"][v]["step_flops"] / 1e12:.3f} '
              f'TFLOP per step (x3 fwd+bwd, x{views} views, batch {B}); torch FlopCounterMode agrees to '
              f'{rec["flops"][v]["torch_flop_counter_ratio"]:.4f}; augmentation {t["ms"]:.0f} ms', flush=True)
        del m, m_cpu
    save()

    def run(v, mode):
        bf16, cl, comp = MODES[mode]
        b = run_batch(bf16)
        r = dict(variant=v, mode=mode, bf16=bf16, channels_last=cl, compile=comp, batch=b)
        x = waves[:b]
        rec['runs'].append(r)
        m, opt = build(v, cl)
        net = m
        if comp and scope['model']:
            m.augment.forward = torch.compiler.disable(m.augment.forward)  # data-dependent plan: stays eager
            net, r['compile_scope'] = torch.compile(m), 'model (augmentation eager)'
        elif comp:
            m.encode, r['compile_scope'] = torch.compile(m.encode), 'backbone'
            if a.compile_scope == 'model': r['compile_note'] = 'whole-model compile failed on an earlier variant'
        losses = []

        def step():
            m.augment.generator().manual_seed(1)  # the same draws every step: identical work per step
            losses.append(train_step(net, opt, None, x, None, bf16)['loss'])

        try:
            with PeakMem(d) as pm: t = bench(step, d, *warm_iters(bf16, comp))
        except Exception as e:
            if not comp or r.get('compile_scope') == 'backbone': raise
            r['compile_error_model'], scope['model'] = f'{type(e).__name__}: {str(e)[:1500]}', False
            print(f'  whole-model compile failed ({type(e).__name__}); compiling the backbone only', flush=True)
            del net, m, opt; torch._dynamo.reset(); gc.collect()
            m, opt = build(v, cl)
            m.encode, r['compile_scope'], net = torch.compile(m.encode), 'backbone', m
            losses.clear()
            with PeakMem(d) as pm: t = bench(step, d, *warm_iters(bf16, comp))
        step_flops = rec['flops'][v]['step_flops'] * b // B
        tf = step_flops / (t['ms'] / 1e3) / 1e12
        aug_ms = rec['augment_ms'][v] if b == B else bench(lambda: m.augment(x, make_generator(1, d)), d, 1, 1)['ms']
        r.update(warmup_steps=warm_iters(bf16, comp)[0], timed_steps=t['n'], ms_per_step=t['ms'], ms_mean=t['ms_mean'], ms_min=t['ms_min'], first_step_ms=t['first_ms'], clips_per_s=b / (t['ms'] / 1e3),
                 step_flops=step_flops, tflops=tf, mfu=tf / peak if peak else None, peak_mib=pm.peak_mib, augment_share=aug_ms / t['ms'],
                 loss_first=float(losses[0]), loss_last=float(losses[-1]), finite=all(math.isfinite(float(x)) for x in losses))
        if not r['finite']: r['status'] = 'failed'
        save()
        print(f'  {v:12s} {mode:16s} b{b:<4d} {t["ms"]:9.1f} ms/step {r["clips_per_s"]:8.1f} clips/s {tf:8.3g} TFLOP/s '
              f'MFU {"%5.1f %%" % (100 * r["mfu"]) if r["mfu"] is not None else "  n/a"} | peak {pm.peak_mib:8.0f} MiB | '
              f'augmentation {100 * r["augment_share"]:4.1f} % | first step {t["first_ms"] / 1e3:.1f} s'
              + (f' | compiled: {r["compile_scope"]}' if comp else ''), flush=True)
        del net, m, opt; gc.collect()
        if d.type == 'cuda': torch.cuda.empty_cache()
        if comp: torch._dynamo.reset()

    def summarize():
        best = {}
        for r in rec['runs']:
            if 'ms_per_step' in r and (r['variant'] not in best or r['tflops'] > best[r['variant']]['tflops']): best[r['variant']] = r
        rec['summary'] = '; '.join(f'{v} best {r["mode"]} {r["ms_per_step"]:.0f} ms/step {r["tflops"]:.3g} TFLOP/s'
                                   + (f' MFU {100 * r["mfu"]:.1f}%' if r['mfu'] is not None else '') for v, r in best.items())

    order = [(v, mo) for mo in modes if not MODES[mo][2] for v in variants] + [(v, mo) for mo in modes if MODES[mo][2] for v in variants]
    for v, mo in order:  # eager modes first, so a slow compile costs only the compiled rows
        try: run(v, mo)
        except Exception as e:
            rec['runs'][-1].update(status='error', error=f'{type(e).__name__}: {str(e)[:1500]}', traceback=traceback.format_exc()[-3000:])
            print(f'  {v} {mo}: {type(e).__name__}: {str(e)[:300]}', flush=True); save()
            if d.type == 'cuda': torch.cuda.empty_cache()
        summarize(); save()  # a stage timeout keeps what is done
    bad = [f'{r["variant"]}/{r["mode"]}' for r in rec['runs'] if r.get('status') in ('error', 'failed')]
    if bad: rec['status'], rec['failed_runs'] = 'failed', bad


RESUME_ARGS = dict(full=['--clip-seconds', '1', '--batch-size', '8', '--synthetic-clips', '48', '--iters-per-epoch', '3',
                         '--val-batches', '1', '--max-epochs', '3', '--no-progress', '--seed', '7'],
                   quick=['--clip-seconds', '1', '--batch-size', '4', '--synthetic-clips', '24', '--iters-per-epoch', '2',
                          '--val-batches', '1', '--max-epochs', '2', '--no-progress', '--seed', '7'])


def stage_resume(a, d, rec, save):
    import torch
    exe = console_script('mtslvr-pretrain')
    tmp, procs = Path(tempfile.mkdtemp(prefix='mtslvr-resume-')), []
    try:
        if exe is None:  # no console script installed: the same entry point through a one-line launcher
            exe = str(tmp / 'mtslvr_pretrain.py')
            Path(exe).write_text('from mtslvr.train import pretrain_cli\npretrain_cli()\n')
        launch = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', str(a.nproc), exe]
        args = RESUME_ARGS['quick' if a.quick else 'full'] + ['--device', str(d)]
        epochs = int(args[args.index('--max-epochs') + 1])
        env = child_env(a)
        rec.update(entry=exe, nproc=a.nproc, args=args)
        A, B = tmp / 'A', tmp / 'B'
        t0 = time.perf_counter()
        logs = {k: open(tmp / f'{k}.log', 'w') for k in ('A', 'B', 'R')}

        def start(out, log, *more):
            procs.append(subprocess.Popen([*launch, *args, '--out-dir', str(out), *more], cwd=ROOT, env=env, stdout=log,
                                          stderr=subprocess.STDOUT, start_new_session=True))
            return procs[-1]
        pa, pb = start(A, logs['A']), start(B, logs['B'])  # A and B side by side: the machine has room, and it halves the wait
        deadline, f = time.time() + a.stage_timeout - 5, B / 'metrics.jsonl'
        while time.time() < deadline and pb.poll() is None and not (f.exists() and f.read_text().count('\n') >= 1): time.sleep(0.01)
        if pb.poll() is None: os.killpg(pb.pid, signal.SIGKILL)  # the launcher and its worker
        pb.wait()
        rec['epochs_at_kill'] = len(f.read_text().splitlines()) if f.exists() else 0
        rec['killed_s'] = round(time.perf_counter() - t0, 1)
        pr = start(B, logs['R'], '--resume')  # while A is still running
        for name, p in (('full', pa), ('resume', pr)):
            try: p.wait(timeout=max(1, deadline - time.time()))
            except subprocess.TimeoutExpired: os.killpg(p.pid, signal.SIGKILL); p.wait()
            rec[f'{name}_returncode'], rec[f'{name}_done_s'] = p.returncode, round(time.perf_counter() - t0, 1)
        for l in logs.values(): l.close()
        outA, out = (tmp / 'A.log').read_text(), (tmp / 'R.log').read_text()
        m = re.search(r'(\d+) process\(es\) on (\S+)', outA)
        if m: rec['world'], rec['run_device'] = int(m.group(1)), m.group(2)
        rec['note'] = ('with one process the package starts no process group: no DDP, no SyncBatchNorm, no NCCL'
                       if rec.get('world', a.nproc) == 1 else 'DDP with SyncBatchNorm (on CUDA) across the processes')
        if pa.returncode != 0: rec['full_log_tail'] = outA[-3000:]
        rc = pr.returncode
        rec['resumed'] = 'resumed from' in out
        if rc != 0: rec['resume_log_tail'] = out[-3000:]
        ok = pa.returncode == 0 and rc == 0 and rec['resumed'] and 1 <= rec['epochs_at_kill'] < epochs
        if (A / 'last.pt').exists() and (B / 'last.pt').exists():
            wa = torch.load(A / 'last.pt', map_location='cpu', weights_only=True)['model']
            wb = torch.load(B / 'last.pt', map_location='cpu', weights_only=True)['model']
            same_keys = wa.keys() == wb.keys()
            diffs = [float((wa[k].double() - wb[k].double()).abs().max()) if wa[k].numel() else 0.0
                     for k in wa if k in wb and wa[k].is_floating_point()]
            rec.update(tensors=len(wa), same_keys=same_keys, max_abs_diff=max(diffs, default=0.0),
                       bit_identical=same_keys and all(torch.equal(wa[k], wb[k]) for k in wa),
                       epochs_resumed=[json.loads(l)['epoch'] for l in (B / 'metrics.jsonl').read_text().splitlines()])
            ok = ok and same_keys and rec['epochs_resumed'][-1] == epochs
            if d.type == 'cpu': ok = ok and rec['bit_identical']  # CPU kernels are deterministic: exact equality expected
        else: ok = False
        if rec['epochs_at_kill'] >= epochs: rec['error'] = 'the run finished before it could be killed'
        rec['summary'] = (f'world {rec.get("world")}, killed after {rec["epochs_at_kill"]} epoch(s), resumed: {rec["resumed"]}, '
                          f'max |dw| {rec.get("max_abs_diff", float("nan")):.3g}'
                          + (' (bit-identical)' if rec.get('bit_identical') else ''))
        print('  ' + rec['summary'], flush=True)
        if not ok: rec['status'] = 'failed'
    finally:
        for proc in procs:
            if proc.poll() is None: os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)


def stage_features(a, d, rec, save):
    import functools
    import torch
    import torch.nn.functional as F
    from mtslvr.core import SAMPLE_RATE, make_generator
    from mtslvr.data import SyntheticFewShot
    from mtslvr.fewshot import FewShotSet, ci95, extract_features, run_readout, sample_episodes
    from mtslvr.framework import Encoder
    enc = Encoder('mt_parallel', init_seed=0).to(d).eval()

    class BF16(torch.nn.Module):
        "The encoder under bfloat16 autocast (its spectrogram stays fp32)."
        def __init__(self, e):
            super().__init__(); self.e = e
        def forward(self, w, batch_size=None):
            with torch.autocast(w.device.type, dtype=torch.bfloat16): return self.e(w, batch_size)

    encs = dict(fp32=enc, bf16=BF16(enc))
    n, bs, seg_s = (4, 4, 1.0) if a.quick else (512, 128, 5.0)  # --quick: 1-s segments (bf16 convolutions can be slow on CPUs)
    warm, iters = (1, 1) if a.quick else (1, 3)
    segs = (torch.randn(n, int(seg_s * SAMPLE_RATE), generator=make_generator(0)) * 0.3).to(d)
    rec.update(segment_seconds=seg_s, segments=n, batch_size=bs, warmup=warm, timed=iters, throughput={})
    for k, e in encs.items():
        with PeakMem(d) as pm: t = bench(lambda: e(segs, bs), d, warm, iters)
        rec['throughput'][k] = dict(clips_per_s=n / (t['ms'] / 1e3), ms=t['ms'], peak_mib=pm.peak_mib)
        print(f'  {k}: {n / (t["ms"] / 1e3):8.1f} clips/s ({seg_s:g}-s segments, batch {bs}), peak {pm.peak_mib:.0f} MiB', flush=True)
    save()
    from mtslvr.data import FEWSHOT_CLASSES
    cpc, dur, ncls, tasks = (2, (1.0, 2.0), 5, 200) if a.quick else (20, (1.0, 12.0), len(FEWSHOT_CLASSES), 2000)
    fset = FewShotSet(SyntheticFewShot(clips_per_class=cpc, seconds=dur, classes=tuple(FEWSHOT_CLASSES)[:ncls]))
    fset.clip = functools.lru_cache(maxsize=None)(fset.clip)  # synthesise each clip once for both precisions
    for i in range(len(fset)): fset.clip(i)
    fe = {}
    for k, e in encs.items():
        t = time.perf_counter()
        fe[k] = extract_features(e, fset, seconds=seg_s, batch_size=bs, device=d, cache_dir=None, progress=False)
        rec[f'extract_s_{k}'] = time.perf_counter() - t
    ep = sample_episodes(fe['fp32'], n_tasks=tasks, seed=42)
    acc = {k: run_readout(f, ep, 'centroid') for k, f in fe.items()}
    cos = F.cosine_similarity(fe['fp32'].feats.double(), fe['bf16'].feats.double(), dim=1)
    diff = float(acc['bf16'].mean() - acc['fp32'].mean()) * 100
    rec.update(clips=len(fset), classes=len(fset.classes), segments_fewshot=len(fe['fp32'].feats), tasks=tasks, readout='centroid',
               acc_fp32=float(acc['fp32'].mean()) * 100, ci95_fp32=ci95(acc['fp32']), acc_bf16=float(acc['bf16'].mean()) * 100,
               ci95_bf16=ci95(acc['bf16']), diff_points=diff, paired_ci95=ci95(acc['bf16'] - acc['fp32']),
               within_ci=abs(diff) <= ci95(acc['fp32']), cosine_mean=float(cos.mean()), cosine_min=float(cos.min()),
               finite=bool(torch.isfinite(fe['fp32'].feats).all() and torch.isfinite(fe['bf16'].feats).all()))
    rec['summary'] = (f'fp32 {rec["throughput"]["fp32"]["clips_per_s"]:.0f} / bf16 {rec["throughput"]["bf16"]["clips_per_s"]:.0f} clips/s; '
                      f'acc {rec["acc_fp32"]:.1f}±{rec["ci95_fp32"]:.1f} vs {rec["acc_bf16"]:.1f}±{rec["ci95_bf16"]:.1f} '
                      f'({"within" if rec["within_ci"] else "OUTSIDE"} CI); cos min {rec["cosine_min"]:.4f}')
    print('  ' + rec['summary'], flush=True)
    if not (rec['within_ci'] and rec['finite']): rec['status'] = 'failed'


STAGE_FNS = dict(a=stage_notebooks, b=stage_augment, c=stage_train_step, d=stage_resume, e=stage_features)


# ------------------------------------------------------------------------------------------------ driver

def worker(a):
    "Run one stage in this process, keeping its record (incl. partial results) in a.record."
    import torch
    if a.threads: torch.set_num_threads(a.threads)
    d = torch.device(a.device)
    rec = dict(stage=a.worker, name=STAGES[a.worker], status='running')
    save = lambda: write_json(a.record, rec)
    t = time.perf_counter()
    try:
        rec['env'] = environment(d, a.git_sha); save()
        STAGE_FNS[a.worker](a, d, rec, save)
        if rec['status'] == 'running': rec['status'] = 'ok'
    except BaseException as e:
        rec.update(status='error', error=f'{type(e).__name__}: {str(e)[:1500]}', traceback=traceback.format_exc()[-4000:])
        print(rec['traceback'], file=sys.stderr, flush=True)
    rec['seconds'] = round(time.perf_counter() - t, 1)
    save()


def run_stage(a, s, timeout, argv):
    "Start stage `s` in a child process; its record, or an error / timeout record built from what it left."
    rec_path = Path(tempfile.mkstemp(prefix=f'mtslvr-stage-{s}-', suffix='.json')[1])
    cmd = [sys.executable, __file__, *argv, '--worker', s, '--record', str(rec_path), '--stage-timeout', str(int(timeout))]
    tail, t = [], time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, env=child_env(a), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         start_new_session=True, bufsize=1)

    def pump():
        for line in p.stdout:
            print(line, end='', flush=True); tail.append(line); del tail[:-60]
    th = threading.Thread(target=pump, daemon=True); th.start()
    timed_out = False
    try: p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(p.pid, signal.SIGKILL); p.wait()
    th.join(5)
    try: rec = json.loads(rec_path.read_text())
    except (OSError, ValueError): rec = dict(stage=s, name=STAGES[s])
    rec_path.unlink(missing_ok=True)
    if timed_out: rec.update(status='timeout', error=f'still running after {timeout:.0f} s (--timeout); partial results kept')
    elif rec.get('status') in (None, 'running'):
        rec.update(status='error', error=f'stage process ended with code {p.returncode}', output_tail=''.join(tail)[-3000:])
    rec['seconds'] = round(time.perf_counter() - t, 1)
    rec['timeout_s'] = round(timeout)
    return rec


def key_numbers(rec):
    if rec.get('status') == 'skipped': return rec.get('error', '')
    s = rec.get('summary') or ''
    if rec.get('status') not in ('ok',) and rec.get('error'): s = (s + ' | ' if s else '') + rec['error'].splitlines()[0][:110]
    return s


def print_table(doc, out):
    rows = [(f'{r["stage"]} {r["name"]}', r['status'], f'{r.get("seconds", 0):.0f}', key_numbers(r)) for r in doc['stages'].values()]
    w = max([len(r[0]) for r in rows] + [5])
    print('\n' + '=' * 100)
    print(f'mtslvr device check: {doc["env"]["device_name"]} ({doc["env"]["device"]}), torch {doc["env"]["torch"]}, '
          f'CUDA {doc["env"]["cuda"]}, driver {doc["env"]["driver"]}, git {str(doc["env"]["git_sha"])[:10]}'
          + (' [quick]' if doc['quick'] else ''))
    print(f'{"stage":{w}s}  {"status":8s} {"s":>5s}  key numbers')
    for r in rows: print(f'{r[0]:{w}s}  {r[1]:8s} {r[2]:>5s}  {r[3]}')
    step = doc['stages'].get('train_step', {})
    if step.get('runs'):
        print(f'\ntraining step, batch {step["batch"]} x {step["clip_seconds"]:g} s '
              f'(peak bf16 {step.get("peak_bf16_tflops") or "unknown"} TFLOP/s; step FLOPs: '
              + ', '.join(f'{v} {f["step_flops"] / 1e12:.3g} T' for v, f in step['flops'].items()) + ')')
        print(f'  {"variant":12s} {"mode":16s} {"batch":>5s} {"ms/step":>9s} {"TFLOP/s":>8s} {"MFU":>6s} {"peak MiB":>9s} {"aug %":>6s}  note')
        for r in step['runs']:
            if 'ms_per_step' not in r:
                print(f'  {r["variant"]:12s} {r["mode"]:16s} {r.get("batch", ""):>5} {"-":>9s} {"-":>8s} {"-":>6s} {"-":>9s} {"-":>6s}  {r.get("error", "")[:60]}'); continue
            mfu = f'{100 * r["mfu"]:5.1f}%' if r.get('mfu') is not None else '   n/a'
            print(f'  {r["variant"]:12s} {r["mode"]:16s} {r["batch"]:5d} {r["ms_per_step"]:9.1f} {r["tflops"]:8.3g} {mfu:>6s} {r["peak_mib"]:9.0f} '
                  f'{100 * r["augment_share"]:6.1f}  ' + (f'compiled: {r["compile_scope"]}, first step {r["first_step_ms"] / 1e3:.0f} s' if r['compile'] else '')
                  + (' (whole-model compile failed)' if r.get('compile_error_model') or r.get('compile_note') else ''))
    print(f'\n{"all stages passed" if doc["passed"] else "SOME STAGES DID NOT PASS"} in {doc["wall_seconds"]:.0f} s -> {out}')


def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--quick', action='store_true', help='every stage at tiny sizes, on CPU unless --device says otherwise')
    ap.add_argument('--device', default=None, help="'cuda', 'cuda:1' or 'cpu' (default: cuda when available; --quick: cpu)")
    ap.add_argument('--out', default=None, help='JSON path (default bench/results/device-<device>-<date>[-quick].json)')
    ap.add_argument('--stages', default='a,b,c,d,e', help='comma-separated letters or names, e.g. a,c or notebooks,train_step')
    ap.add_argument('--timeout', type=float, default=None, help='seconds per stage (default per stage: %s; quick %s)'
                    % (TIMEOUTS['full'], TIMEOUTS['quick']))
    ap.add_argument('--budget', type=float, default=None, help='seconds for the whole run (default 540; quick: none); '
                    'stage limits shrink to fit, later stages keep %d s each' % MIN_STAGE_S)
    ap.add_argument('--compile', action='store_true', help='with --quick: include the channels-last and torch.compile modes')
    ap.add_argument('--no-compile', action='store_true', help='skip the torch.compile mode')
    ap.add_argument('--compile-scope', choices=('model', 'backbone'), default='model',
                    help="'model' (augmentation kept eager; backbone-only on failure) or straight to 'backbone'")
    ap.add_argument('--threads', type=int, default=None, help='torch / OpenMP threads per process (default: torch; quick: 1)')
    ap.add_argument('--notebooks', default=None, help='comma-separated notebook names for stage a (default: those with gpu cells)')
    ap.add_argument('--nb-jobs', type=int, default=None, help='notebooks run at once (default: 2 on CPU, cpus/4 up to 4 on GPU)')
    ap.add_argument('--nb-timeout', type=float, default=600, help='seconds per notebook')
    ap.add_argument('--nproc', type=int, default=1, help='processes for stage d (torchrun --nproc_per_node)')
    ap.add_argument('--git-sha', default=None, help='commit to record when the checkout has no .git (default: git rev-parse HEAD)')
    ap.add_argument('--worker', default=None, help=argparse.SUPPRESS)
    ap.add_argument('--record', default=None, help=argparse.SUPPRESS)
    ap.add_argument('--stage-timeout', type=float, default=300, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.threads is None and a.quick: a.threads = 1
    return a


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    a = parse(argv)
    if a.worker: return worker(a)
    t0 = time.perf_counter()
    names = {v: k for k, v in STAGES.items()}
    sel = [names.get(s.strip(), s.strip()) for s in a.stages.split(',') if s.strip()]
    bad = [s for s in sel if s not in STAGES]
    if bad: sys.exit(f'--stages: expected letters a-e or names {list(STAGES.values())}, got {bad}')
    today = datetime.date.today().isoformat()
    budget = a.budget if a.budget is not None else (None if a.quick else 540.0)
    doc = dict(schema='mtslvr-device-check/1', created=datetime.datetime.now().astimezone().isoformat(timespec='seconds'),
               command=' '.join(['python', 'bench/device_check.py', *argv]), quick=a.quick, device=a.device, env={}, budget_s=budget,
               stages={}, passed=False, wall_seconds=0.0)
    try:
        import torch
        from mtslvr.core import default_device
        d = default_device(a.device if a.device else ('cpu' if a.quick else None))
        a.device = doc['device'] = str(d)
        env = doc['env'] = environment(d, a.git_sha)
    except Exception as e:  # no usable device or torch: the record says why
        doc['error'] = f'{type(e).__name__}: {e}'
        out = Path(a.out) if a.out else BENCH / 'results' / f'device-unknown-{today}.json'
        write_json(out, doc)
        print(f'device check could not start: {doc["error"]} -> {out}', file=sys.stderr)
        return 2
    out = Path(a.out) if a.out else BENCH / 'results' / f'device-{slug(env["device_name"])}-{today}{"-quick" if a.quick else ""}.json'
    print(f'mtslvr device check on {env["device_name"]} ({d}); torch {env["torch"]}, CUDA {env["cuda"]}, cuDNN {env["cudnn"]}, '
          f'torchaudio {env["torchaudio"]}, driver {env["driver"]}, git {env["git_sha"]}; stages {",".join(sel)} -> {out}', flush=True)
    write_json(out, doc)
    child_argv = [x for x in argv] + ['--device', a.device] + (['--threads', str(a.threads)] if a.threads else [])
    for i, s in enumerate(sel):
        limit = a.timeout or TIMEOUTS['quick' if a.quick else 'full'][s]
        if budget is not None: limit = min(limit, budget - (time.perf_counter() - t0) - MIN_STAGE_S * (len(sel) - i - 1))
        if limit < 10:
            rec = dict(stage=s, name=STAGES[s], status='skipped', error=f'no time left in the --budget of {budget:.0f} s', env=env)
        else:
            print(f'\n[{s}] {STAGES[s]} (limit {limit:.0f} s)', flush=True)
            rec = run_stage(a, s, limit, child_argv)
            rec.setdefault('env', env)
        doc['stages'][STAGES[s]] = rec
        doc['wall_seconds'] = time.perf_counter() - t0
        doc['passed'] = all(r['status'] == 'ok' for r in doc['stages'].values())
        write_json(out, doc)
    doc['wall_seconds'] = time.perf_counter() - t0
    write_json(out, doc)
    print_table(doc, out)
    return 0 if doc['passed'] else 1


if __name__ == '__main__': sys.exit(main())
