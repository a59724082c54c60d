"""Every notebook under nbs/ is a test: its cells run under nbdev's test runner, each notebook in its own process.

A failing assertion in any cell fails that notebook's test. Cells flagged `gpu` run only with CUDA, cells flagged
`slow` only with `MTSLVR_SLOW=1` (or set `NBDEV_FLAGS` explicitly); the slow cells of `nbs/tutorials/` (downloads and an
hour of training) only with `NBDEV_FLAGS=slow`. `MTSLVR_NB_TIMEOUT` bounds each notebook (s).
"""
import os
import subprocess

import pytest

from conftest import ROOT, nb_flags, run

NBS = ROOT / 'nbs'
TIMEOUT = int(os.environ.get('MTSLVR_NB_TIMEOUT', '900'))


def _notebooks():
    for p in sorted(NBS.rglob('*.ipynb')):
        rel = p.relative_to(NBS)
        if any(part.startswith(('_', '.')) for part in rel.parts) or '.ipynb_checkpoints' in rel.parts:
            continue
        if any((q / '.notest').exists() for q in p.relative_to(ROOT).parents if q != ROOT.parent):
            continue
        yield p


NOTEBOOKS = list(_notebooks())


def test_there_are_notebooks():
    "The notebook glob finds the notebooks (an empty parametrisation would silently test nothing)."
    assert len(NOTEBOOKS) >= 2, NOTEBOOKS


@pytest.mark.notebook
@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[str(p.relative_to(NBS)) for p in NOTEBOOKS])
def test_notebook(nb, tmp_path):
    "Run every cell of `nb` (skipping unrequested tst_flags); any exception fails the test. Its temporary files go to `tmp_path`."
    flags = nb_flags()
    if 'tutorials' in nb.parts and 'NBDEV_FLAGS' not in os.environ:  # a tutorial's slow cells download data and train for an hour
        flags = ' '.join(f for f in flags.split() if f != 'slow')
    cmd = ['nbdev_test', '--path', str(nb), '--n_workers', '0', '--flags', flags, '--do_print']
    try:
        r = run(cmd, timeout=TIMEOUT, env={'PYTHONWARNINGS': 'ignore::DeprecationWarning', 'TMPDIR': str(tmp_path)})
    except subprocess.TimeoutExpired:
        pytest.fail(f'{nb.name}: still running after {TIMEOUT} s (MTSLVR_NB_TIMEOUT)')
    assert r.returncode == 0 and 'Success.' in r.stdout, f'{nb.name} failed:\n{r.stdout[-4000:]}\n{r.stderr[-8000:]}'
