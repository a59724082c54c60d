"""Repository invariants: package exported from the notebooks, README generated from index.ipynb, version from settings.ini."""
import filecmp
import shutil
from configparser import ConfigParser
from pathlib import Path

import re

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
    from mtslvr.cli import config_parser
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


def _commands():
    "(name, entry point) of every console script in settings.ini."
    cfg = ConfigParser()
    cfg.read(ROOT / 'settings.ini')
    out = []
    for item in cfg['DEFAULT']['console_scripts'].split():
        name, target = item.split('=')
        module, fn = target.split(':')
        out.append((name, module, fn))
    return out


@pytest.mark.parametrize('name,module,fn', _commands(), ids=[c[0] for c in _commands()])
def test_every_option_has_help_and_default(name, module, fn, capsys):
    "Each command's --help has a description, and every option says what it does and its default."
    import importlib
    with pytest.raises(SystemExit):
        getattr(importlib.import_module(module), fn)(['--help'])
    text = capsys.readouterr().out
    head, _, opts = text.partition('options:')
    assert len(head.split('\n\n')) >= 2 and head.split('\n\n')[1].strip(), f'{name}: no description'
    blocks = [b for b in opts.split('\n  -') if b.strip() and not b.lstrip('-').startswith(('h, --help', 'h,'))]
    assert blocks, name
    for b in blocks:
        flag = '-' + b.split()[0]
        if ' '.join(b.split()).endswith('then exit'):  # an action such as --list-datasets, not a setting
            continue
        assert '(default:' in ' '.join(b.split()), f'{name} {flag}: no default shown'
        assert len(b.split('\n')[0].split()) > 2 or len(b.split('\n')) > 1, f'{name} {flag}: no help'


@pytest.mark.parametrize('name,module,fn', _commands(), ids=[c[0] for c in _commands()])
def test_switches_read_as_one_flag(name, module, fn, capsys):
    "A boolean setting is one switch (`--overwrite`, `--no-progress`); both spellings only for three-state settings."
    import importlib
    with pytest.raises(SystemExit):
        getattr(importlib.import_module(module), fn)(['--help'])
    text = ' '.join(capsys.readouterr().out.split())
    assert '--progress,' not in text and '--overwrite, --no-overwrite' not in text and '--list-datasets, --no-list-datasets' not in text, text
    for both in re.findall(r'--([a-z-]+), --no-\1 ', text):  # only settings that can also be left to the device
        assert re.search(rf'--{both}, --no-{both} .*?\(default: auto\)', text), f'{name} --{both}: two spellings for a two-state setting'


def test_no_tracked_file_is_ignored():
    "Nothing committed is also matched by .gitignore (a result file that git would not pick up again)."
    r = run(['git', 'ls-files', '--cached', '--ignored', '--exclude-standard'])
    assert r.returncode == 0 and r.stdout.strip() == '', r.stdout


def test_ruff_targets_the_supported_python():
    "ruff checks for the Python version the package requires (settings.ini min_python)."
    import tomllib
    cfg = ConfigParser()
    cfg.read(ROOT / 'settings.ini')
    want = 'py' + cfg['DEFAULT']['min_python'].replace('.', '')
    assert tomllib.loads((ROOT / 'pyproject.toml').read_text())['tool']['ruff']['target-version'] == want


def test_torch_floor_has_a_safe_restricted_unpickler():
    "The torch floor excludes versions whose torch.load(weights_only=True) can still run code (CVE-2025-32434: below 2.6)."
    import re
    cfg = ConfigParser()
    cfg.read(ROOT / 'settings.ini')
    floor = re.search(r'(?:^|\s)torch>=([\d.]+)', cfg['DEFAULT']['requirements'])
    assert floor, 'no torch floor in settings.ini requirements'
    assert tuple(int(x) for x in floor.group(1).split('.')[:2]) >= (2, 6), floor.group(1)


def test_prose_cites_only_what_a_reader_can_open():
    "Every `name.md` the notebooks, the package and the README mention is a file of the repository or one the package writes."
    tracked = {Path(p).name for p in run(['git', 'ls-files']).stdout.split()}
    from mtslvr.analysis import ANALYSIS_FILES
    written = {m for f in (ROOT / 'mtslvr').glob('*.py') for m in re.findall(r"""['"]([\w-]+\.md)['"]""", f.read_text())}
    written |= set(ANALYSIS_FILES)
    texts = [*sorted((ROOT / 'nbs').rglob('*.ipynb')), *sorted((ROOT / 'mtslvr').glob('*.py')), ROOT / 'README.md']
    unknown = {f'{p.relative_to(ROOT)}: {m}' for p in texts for m in re.findall(r'\b([\w-]+\.md)\b', p.read_text())
               if m not in tracked | written}
    assert not unknown, sorted(unknown)


def test_variants_are_read_from_their_records():
    "No module parses a variant's name: what a variant is (backbone, adapter, objectives) comes from `models.get_variant`."
    hits = [f'{f.name}:{i}: {line.strip()}' for f in sorted((ROOT / 'mtslvr').glob('*.py')) if f.name != '_modidx.py'
            for i, line in enumerate(f.read_text().splitlines(), 1) if re.search(r"variant\[|variant (==|!=) '|variant in \('", line)]
    assert not hits, hits


LAYER = dict(core=1, cli=1, kernels=1, digests=2, dsp=2, distributed=2, procedural=2, augmentations=3, features=3, models=3, losses=3, data=3, datasets=3, augment=4, embeddings=4, labelled=4, stats=4, framework=5, fewshot=5, batches=5,
             checkpoints=6, monitor=6, train=7, info=7, evaluate=7, analysis=8, hear=8, explorer=8, demo=8)  # the README's layers


def test_modules_import_only_from_layers_above():
    "Every module of the package is in the README's layer map and imports only modules of a layer above its own."
    import ast
    mods = sorted(p.stem for p in (ROOT / 'mtslvr').glob('*.py') if not p.stem.startswith('_'))
    assert sorted(LAYER) == mods, set(mods) ^ set(LAYER)
    wrong = []
    for m in mods:
        for node in ast.walk(ast.parse((ROOT / 'mtslvr' / f'{m}.py').read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                dep = node.module.split('.')[0]
                if LAYER[dep] >= LAYER[m]:
                    wrong.append(f'{m} (layer {LAYER[m]}) imports {dep} (layer {LAYER[dep]})')
    assert not wrong, wrong


def test_notebooks_are_numbered_in_layer_order():
    "Each notebook is named `NN_<its module>`, numbered 00, 01, ... in the order of the layer map, and the tour lists them in that order."
    import json
    names, modules = [], []
    for p in sorted((ROOT / 'nbs').glob('[0-9]*.ipynb')):
        code = '\n'.join(''.join(c['source']) for c in json.loads(p.read_text())['cells'] if c['cell_type'] == 'code')
        names.append(p.stem)
        modules.append(re.search(r'^#\| default_exp (\w+)', code, re.M).group(1))
    assert names == [f'{i:02d}_{m}' for i, m in enumerate(modules)], names
    assert [LAYER[m] for m in modules] == sorted(LAYER[m] for m in modules), [(n, LAYER[m]) for n, m in zip(names, modules)]
    import importlib.util
    spec = importlib.util.spec_from_file_location('docs', ROOT / 'tools' / 'docs.py')  # the site's reader of the tour table
    docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(docs)
    tour = [(nb, module.removeprefix('mtslvr.')) for nb, module in docs.tour(ROOT / 'nbs').items() if module]
    assert tour == list(zip(names, modules)), tour


def test_weights_are_drawn_from_generators():
    "Seeded weights come from a generator on modules built on the meta device: no module forks or reseeds the global RNG."
    hits = [f'{f.name}:{i}' for f in sorted((ROOT / 'mtslvr').glob('*.py')) if f.name != '_modidx.py'
            for i, line in enumerate(f.read_text().splitlines(), 1) if 'fork_rng' in line or 'torch.manual_seed' in line]
    assert not hits, hits


def test_augmentation_facts_live_in_their_records():
    "No module but `augmentations` keeps a table keyed by augmentation name: every per-augmentation fact is in its record."
    import ast
    from mtslvr.augmentations import AUGMENTATIONS
    hits = []
    for f in sorted((ROOT / 'mtslvr').glob('*.py')):
        if f.name in ('augmentations.py', '_modidx.py'):
            continue
        for node in ast.walk(ast.parse(f.read_text())):
            keys = []
            if isinstance(node, ast.Dict):
                keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            elif isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'dict':
                keys = [k.arg for k in node.keywords]
            if sum(k in AUGMENTATIONS for k in keys) >= 2:
                hits.append(f'{f.name}:{node.lineno}')
    assert not hits, hits


def test_checks_come_from_one_family():
    "Choices, integer ranges and real numbers are checked by core's check_choice, check_int and check_real (one message style), not written again."
    import re
    patterns = {'a hand-written choice check': re.compile(r'expected one of \{'),
                'a hand-written integer range': re.compile(r'(check_option|\bc)\([^\n]*is_int\('),
                'a hand-written real-number test': re.compile(r'isinstance\([^)]*numbers\.Real|(check_option|\bc)\([^\n]*math\.isfinite')}
    hits = [f'{f.name}:{i} ({what})' for f in sorted((ROOT / 'mtslvr').glob('*.py')) if f.name not in ('core.py', '_modidx.py')
            for i, line in enumerate(f.read_text().splitlines(), 1) for what, p in patterns.items() if p.search(line)]
    assert not hits, hits


def test_seeds_come_from_their_streams():
    "In the package every generator is made by core.make_generator (no `torch.Generator(` outside core), and one not seeded by a caller's own seed by core.derive_seed: no seed arithmetic elsewhere."
    import re
    pat = re.compile(r'make_generator\([^)]*[*+]|% 2\s*\*\*\s*62|seed\s*\*\s*[0-9_]{3,}|torch\.Generator\(')  # generators come from make_generator
    hits = [f'{f.name}:{i}' for f in sorted((ROOT / 'mtslvr').glob('*.py')) if f.name not in ('core.py', '_modidx.py')
            for i, line in enumerate(f.read_text().splitlines(), 1) if pat.search(line)]
    assert not hits, hits


def _one_line_defs(text:str) -> list[int]:
    "Lines where a `def` has its body on the same line (pycodestyle's E704)."
    import io
    import tokenize
    toks, hits = list(tokenize.generate_tokens(io.StringIO(text).readline)), []
    starts = (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT)
    for i, t in enumerate(toks):
        if t.type == tokenize.NAME and t.string == 'def' and (i == 0 or toks[i - 1].type in starts or toks[i - 1].string == 'async'):
            depth = 0
            for j in range(i + 1, len(toks)):
                if toks[j].type == tokenize.OP and toks[j].string in '([{':
                    depth += 1
                elif toks[j].type == tokenize.OP and toks[j].string in ')]}':
                    depth -= 1
                elif toks[j].type == tokenize.OP and toks[j].string == ':' and depth == 0:
                    if toks[j + 1].type not in (tokenize.NEWLINE, tokenize.COMMENT):
                        hits.append(t.start[0])
                    break
    return hits


def test_no_body_on_the_line_of_its_def():
    "pycodestyle's E704, which ruff does not implement: in the package, tests, tools, benchmarks and notebooks, a def's body starts on a line of its own."
    import json
    assert _one_line_defs('def f(x): return x\nclass A:\n    def g(self) -> int: return 1\n    def h(self):\n        pass\n') == [1, 3]
    hits = [f'{p.relative_to(ROOT)}:{n}' for d in ('mtslvr', 'tests', 'tools', 'bench') for p in sorted((ROOT / d).rglob('*.py'))
            if p.name != '_modidx.py' for n in _one_line_defs(p.read_text())]
    for p in sorted((ROOT / 'nbs').rglob('*.ipynb')):
        for i, c in enumerate(json.loads(p.read_text())['cells']):
            src = ''.join(c['source'])
            if c['cell_type'] == 'code':  # IPython's magics and shell lines are not Python: left out, the rest checked
                src = '\n'.join('' if line.lstrip().startswith(('%', '!')) else line for line in src.splitlines())
                hits += [f'{p.relative_to(ROOT)} cell {i} line {n}' for n in _one_line_defs(src)]
    assert not hits, hits
