"""The augmentation explorer in a real JupyterLab, driven by headless Debian chromium (tests/e2e/run.sh).

Skipped when chromium, node or tests/e2e/node_modules is missing, unless MTSLVR_E2E=1 (as in .ci/run), where that is a
failure. Screenshots of the explorer before and after the interactions are written to tests/e2e/screenshots/.
"""
import os
import shutil

import pytest

from conftest import ROOT, SLOW, need_browser, run

E2E = ROOT / 'tests' / 'e2e'


def test_explorer_in_browser():
    "Run all cells of 27_explorer.ipynb, move a slider by keyboard and one by mouse: the kernel updates the view."
    need_browser()
    r = run(['bash', str(E2E / 'run.sh')], timeout=900)
    tail = (r.stdout + r.stderr)[-4000:]
    assert r.returncode == 0 and 'WIDGET-E2E:' in r.stdout and ', 0 failed' in r.stdout, \
        f'explorer did not respond in the browser; screenshots in {E2E / "screenshots"}\n{tail}'


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not SLOW, reason='a second browser run (MTSLVR_SLOW=1)')
def test_browser_test_fails_when_masking_is_not_wired(tmp_path):
    "A copy of the notebooks whose masking-start slider is not connected to the view must fail the browser test, on that check."
    if not (E2E / 'node_modules' / 'playwright-core').exists() or not os.path.exists('/usr/bin/chromium'):
        pytest.skip('browser test needs chromium and tests/e2e/node_modules')
    nbs = tmp_path / 'nbs'
    shutil.copytree(ROOT / 'nbs', nbs)
    nb = nbs / '27_explorer.ipynb'
    wired = "for c in d.values()]:\\n\",\n    \"            w.observe(self._on_change, names='value')"
    text = nb.read_text()
    assert text.count(wired) == 1, 'the explorer no longer connects its controls as this test expects'
    nb.write_text(text.replace(wired, wired.replace("for c in d.values()]", "for c in d.values() if c.description != 'start']")))
    r = run(['bash', str(E2E / 'run.sh')], timeout=900, env={'E2E_NBS': str(nbs), 'E2E_OUT': str(tmp_path / 'shots')})
    assert r.returncode != 0 and "FAIL the displayed time-masking start is the slider's new value" in r.stdout, r.stdout[-3000:]
