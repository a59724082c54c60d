"""Shared fixtures and facts for the pytest layer."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _has_cuda():
    try:
        import torch
        return torch.cuda.is_available()
    except Exception:
        return False


HAS_CUDA = _has_cuda()
SLOW = os.environ.get('MTSLVR_SLOW', '') not in ('', '0')


def pytest_xdist_auto_num_workers(config):
    "`-n auto` (the default in pyproject.toml): one test process per core, at most four."
    return max(1, min(4, os.cpu_count() or 1))


def pytest_configure(config):
    "Each test process gets its share of the cores (OpenMP threads for torch here and in the commands it starts), unless OMP_NUM_THREADS is set."
    workers = getattr(config, 'workerinput', {}).get('workercount')
    if workers and 'OMP_NUM_THREADS' not in os.environ:
        os.environ['OMP_NUM_THREADS'] = str(max(1, (os.cpu_count() or 1) // workers))
    if 'OMP_NUM_THREADS' in os.environ:
        import torch
        torch.set_num_threads(int(os.environ['OMP_NUM_THREADS']))


def need_browser():
    "Skip a browser test when chromium, node or tests/e2e/node_modules is missing; with MTSLVR_E2E=1 (as in .ci/run), fail instead."
    e2e = ROOT / 'tests' / 'e2e'
    missing = [n for n, ok in (('chromium', os.path.exists('/usr/bin/chromium')), ('node', shutil.which('node')),
                                ('tests/e2e/node_modules', (e2e / 'node_modules' / 'playwright-core').exists())) if not ok]
    if missing:
        msg = f"browser test needs {', '.join(missing)} (apt-get install chromium; cd tests/e2e && npm ci)"
        if os.environ.get('MTSLVR_E2E') == '1':
            pytest.fail(msg)
        pytest.skip(msg)


def nb_flags():
    "The tst_flags to force when running notebooks: `$NBDEV_FLAGS`, else gpu (with CUDA) and slow (with MTSLVR_SLOW=1)."
    if 'NBDEV_FLAGS' in os.environ:
        return os.environ['NBDEV_FLAGS']
    return ' '.join(f for f, on in (('gpu', HAS_CUDA), ('slow', SLOW)) if on)


def run(cmd, timeout=600, **kw):
    "Run `cmd` with this interpreter's environment; return the CompletedProcess (text mode)."
    env = {**os.environ, **kw.pop('env', {})}
    bindir = str(Path(sys.executable).parent)
    env['PATH'] = bindir + os.pathsep + env.get('PATH', '')
    return subprocess.run(cmd, cwd=kw.pop('cwd', ROOT), env=env, capture_output=True, text=True, timeout=timeout, **kw)


@pytest.fixture
def root():
    return ROOT
