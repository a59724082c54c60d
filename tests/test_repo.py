"""Repository invariants: package exported from the notebooks, README generated from index.ipynb, version from settings.ini."""
import filecmp
import shutil
from configparser import ConfigParser

import pytest

from conftest import ROOT, run


def _diff(d):
    "Files that differ or exist on one side only, recursively, for a `filecmp.dircmp`."
    out = [f'{d.left}/{f}' for f in d.diff_files + d.left_only + d.right_only]
    for sub in d.subdirs.values():
        out += _diff(sub)
    return out


def test_package_in_sync_with_notebooks(tmp_path):
    "nbdev_export on a copy of the sources reproduces mtslvr/ exactly (no hand edits, no stale or missing modules)."
    ign = shutil.ignore_patterns('__pycache__', '.ipynb_checkpoints', '*.pyc')
    for f in ('settings.ini', 'setup.py', 'README.md'):
        shutil.copy(ROOT / f, tmp_path / f)
    for d in ('nbs', 'mtslvr'):
        shutil.copytree(ROOT / d, tmp_path / d, ignore=ign)
    r = run(['nbdev_export'], cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    diff = _diff(filecmp.dircmp(ROOT / 'mtslvr', tmp_path / 'mtslvr', ignore=['__pycache__']))
    assert not diff, f'package out of sync with notebooks (run nbdev_export): {diff}'


def test_readme_matches_index():
    "README.md is what tools/readme.py renders from nbs/index.ipynb."
    r = run(['python', 'tools/readme.py', '--check'])
    assert r.returncode == 0, r.stderr


def test_version_from_settings():
    "mtslvr.__version__ is the version in settings.ini."
    import mtslvr
    cfg = ConfigParser(delimiters=['='])
    cfg.read(ROOT / 'settings.ini')
    assert mtslvr.__version__ == cfg['DEFAULT']['version']


@pytest.mark.parametrize('config', ['mtslvr.train:PretrainConfig', 'mtslvr.evaluate:EvalConfig', 'mtslvr.analysis:AnalysisConfig'])
def test_help_describes_every_option(config):
    "Every option of every configuration-driven command shows its description (the field's docment) and its default."
    import importlib
    from mtslvr.core import config_parser
    mod, name = config.split(':')
    p = config_parser(getattr(importlib.import_module(mod), name), 'x')
    for a in p._actions:
        if a.dest == 'help':
            continue
        assert a.help and a.help != a.dest.replace('_', ' '), f'{a.dest}: no description'
    text = p.format_help()
    assert text.count('(default:') == len(p._actions) - 1, text


def test_cells_and_functions_a_reader_can_hold():
    "No exported notebook cell and no function of the package is longer than 40 lines."
    import ast
    import json
    long_cells = []
    for nb in sorted((ROOT / 'nbs').rglob('*.ipynb')):
        for i, c in enumerate(json.loads(nb.read_text())['cells']):
            src = ''.join(c['source'])
            if c['cell_type'] == 'code' and src.startswith('#| export') and len(src.splitlines()) > 40:
                long_cells.append(f'{nb.name} cell {i}: {len(src.splitlines())} lines')
    long_fns = [f'{f.name}:{n.lineno} {n.name}: {n.end_lineno - n.lineno + 1} lines' for f in sorted((ROOT / 'mtslvr').glob('*.py'))
                for n in ast.walk(ast.parse(f.read_text())) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                and n.end_lineno - n.lineno + 1 > 40]
    assert not long_cells and not long_fns, long_cells + long_fns
