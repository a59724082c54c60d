"""Shared fixtures and facts for the pytest layer."""
import os
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
