"""The documentation site (tools/docs.py): it builds without a warning, has a page per notebook and per module, fails on
a planted broken link or a notebook missing from the tour, and works in a real browser (tests/e2e/docs.e2e.mjs).

`MTSLVR_DOCS_DIR` names a site already built (as .ci/run does, with the documented command); otherwise one is built here.
"""
import json
import os
import pkgutil
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, need_browser, run

E2E = ROOT / 'tests' / 'e2e'


def build(nbs:Path, out:Path):
    return run([sys.executable, str(ROOT / 'tools' / 'docs.py'), '--nbs', str(nbs), '--out', str(out)], timeout=600)


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    "The built site: MTSLVR_DOCS_DIR when set, else a fresh build of nbs/."
    given = os.environ.get('MTSLVR_DOCS_DIR')
    if given:
        assert (Path(given) / 'index.html').is_file(), f'MTSLVR_DOCS_DIR={given} holds no built site'
        return Path(given)
    out = tmp_path_factory.mktemp('docs') / 'site'
    r = build(ROOT / 'nbs', out)
    assert r.returncode == 0, r.stderr[-4000:]
    return out


def test_every_notebook_and_module_has_a_page(site):
    "One page per notebook (tutorials included), one API page per module, the search page and its index."
    import mtslvr
    nbs = [p.relative_to(ROOT / 'nbs').with_suffix('.html') for p in (ROOT / 'nbs').rglob('*.ipynb')
           if not any(s.startswith(('.', '_')) for s in p.relative_to(ROOT / 'nbs').parts)]
    mods = [f'api/{m.name}.html' for m in pkgutil.iter_modules(mtslvr.__path__) if not m.name.startswith('_')]
    missing = [str(p) for p in [*nbs, *map(Path, mods), Path('search.html'), Path('searchindex.js')] if not (site / p).is_file()]
    assert not missing and len(nbs) > 15 and len(mods) > 15, missing
    text = (site / '20_checkpoints.html').read_text()
    assert 'without its outputs' in text  # a notebook that keeps no outputs says so on its page
    assert 'without its outputs' not in (site / '13_augment.html').read_text()
    assert '#| export' not in (site / '13_augment.html').read_text()  # nbdev's directives are not shown


def test_api_pages_describe_tuple_fields_and_the_site_has_an_icon(site):
    "A NamedTuple's fields show their docments, not autodoc's 'Alias for field number N'; every page links the site's icon."
    import re
    pages = sorted((site / 'api').glob('*.html'))
    assert pages and not [p.name for p in pages if 'Alias for field number' in p.read_text()]
    text = re.sub(r'<[^>]+>', '', (site / 'api' / 'augment.html').read_text())
    assert re.search(r'view1: Tensor\W+\(B, L\)', text) and re.search(r'labels2: Tensor \| None\W+view 2.s labels', text), text[:2000]
    assert 'as --variant spells it' in re.sub(r'<[^>]+>', '', (site / 'api' / 'models.html').read_text()).replace('`', '')
    for page in (site / 'index.html', site / '13_augment.html', site / 'api' / 'augment.html'):
        icon = re.search(r'<link rel="(?:shortcut )?icon" href="([^"]+)"', page.read_text())
        assert icon and (page.parent / icon[1]).is_file(), page


def _plant(tmp_path, edit) -> Path:
    nbs = tmp_path / 'nbs'
    shutil.copytree(ROOT / 'nbs', nbs, ignore=shutil.ignore_patterns('.ipynb_checkpoints'))
    edit(nbs)
    return nbs


def _add_markdown(nb:Path, text:str):
    d = json.loads(nb.read_text())
    d['cells'].insert(2, dict(cell_type='markdown', id='planted1', metadata={}, source=[text]))
    nb.write_text(json.dumps(d))


def test_a_broken_link_fails_the_build(tmp_path):
    "A link to a page that does not exist, and one to a missing section, each fail the build, naming the notebook and the target."
    nbs = _plant(tmp_path, lambda d: _add_markdown(d / '10_losses.ipynb', 'See [this](no_such_page.ipynb) and [that](13_augment.ipynb#no-such-section).'))
    r = build(nbs, tmp_path / 'site')
    assert r.returncode != 0, r.stdout
    assert f'{nbs}/10_losses.ipynb' in r.stderr and 'no_such_page.ipynb' in r.stderr and 'no-such-section' in r.stderr, r.stderr[-3000:]
    assert 'the site has 2 warning(s)' in r.stderr, r.stderr[-3000:]


def test_a_notebook_missing_from_the_tour_fails_the_build(tmp_path):
    "A notebook the tour table does not list would have no place in the navigation: the build stops and names it."
    nbs = _plant(tmp_path, lambda d: shutil.copy(d / '10_losses.ipynb', d / '04b_extra.ipynb'))
    r = build(nbs, tmp_path / 'site')
    assert r.returncode != 0 and "present but not listed ['04b_extra']" in r.stderr, r.stderr[-3000:]


def test_docs_in_browser(site, tmp_path):
    "Home, a notebook, its API entry, the tutorial and search in headless chromium: no console errors, content rendered."
    need_browser()
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, '-m', 'http.server', str(port), '--bind', '127.0.0.1', '--directory', str(site)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = E2E / 'screenshots'
    out.mkdir(parents=True, exist_ok=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        r = run(['node', str(E2E / 'docs.e2e.mjs'), f'http://127.0.0.1:{port}', str(out)], timeout=300)
    finally:
        server.terminate()
        server.wait()
    assert r.returncode == 0 and ', 0 failed' in r.stdout, f'screenshots in {out}\n{(r.stdout + r.stderr)[-4000:]}'
