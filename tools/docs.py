"""Build the documentation site: every notebook as a page with its saved outputs, an API page per module, and search.

    python tools/docs.py                       # nbs/ -> _docs/ (open _docs/index.html, or serve it)
    python tools/docs.py --nbs DIR --out DIR   # another copy of the notebooks, another output folder

Sphinx with MyST-NB and the Furo theme (configured in tools/docs_conf.py). The notebooks are staged in a temporary
folder in the tour's order (the module table of nbs/index.ipynb), each notebook that saves no outputs gets a note
saying so, and the build fails on any warning: a broken link between pages, a notebook missing from the tour, a
docstring that does not parse. Nothing is executed: pages show what the notebooks saved.
"""
import argparse
import io
import json
import pkgutil
import re
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NO_OUTPUTS = ('> This page shows the notebook without its outputs (they are not kept in the repository). '
              'Run it in JupyterLab to see them.')


def tour(nbs:Path) -> dict[str, str]:
    "The notebooks in the tour's order (without extension), each with its module, read from the table of index.ipynb."
    cells = json.loads((nbs / 'index.ipynb').read_text())['cells']
    text = '\n'.join(''.join(c['source']) for c in cells if c['cell_type'] == 'markdown')
    rows = re.findall(r'^\| `([\w/]+)` \| (?:`(mtslvr\.\w+)`)?', text, flags=re.M)
    if not rows:
        sys.exit(f'{nbs / "index.ipynb"}: expected the tour table (| `notebook` | `module` | what it holds |)')
    return dict(rows)


def notebooks(nbs:Path) -> list[str]:
    "Every notebook under `nbs`, as a path without extension (hidden and checkpoint folders skipped)."
    return sorted(str(p.relative_to(nbs).with_suffix('')) for p in nbs.rglob('*.ipynb')
                  if not any(s.startswith(('.', '_')) for s in p.relative_to(nbs).parts))


def cell(kind:str, text:str) -> dict:
    "A markdown cell for the staged copy."
    return dict(cell_type=kind, id=uuid.uuid4().hex[:8], metadata={}, source=text.splitlines(keepends=True))


def shown(c:dict) -> dict|None:
    "A cell as the page shows it, as nbdev's own sites do: `#| hide` cells dropped, `#|` directive lines removed."
    if c['cell_type'] != 'code':
        return c
    lines = ''.join(c['source']).splitlines(keepends=True)
    if any(re.match(r'#\|\s*(hide|default_exp)\b', s) for s in lines):
        return None
    code = [s for s in lines if not s.startswith('#|')]
    return {**c, 'source': code} if ''.join(code).strip() or c.get('outputs') else None


def stage_notebook(src:Path, dst:Path, extra:list[dict]|None=None):
    "Copy a notebook as its page shows it, with a note after its title when it saves no outputs, and `extra` cells at the end."
    nb = json.loads(src.read_text())
    nb['cells'] = [c for c in map(shown, nb['cells']) if c is not None]
    if not any(c.get('outputs') for c in nb['cells'] if c['cell_type'] == 'code') and src.name != 'index.ipynb':
        nb['cells'].insert(1, cell('markdown', NO_OUTPUTS))
    nb['cells'] += extra or []
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(json.dumps(nb))
    for folder in ('images',):  # files the notebook's markdown shows
        if (src.parent / folder).is_dir() and not (dst.parent / folder).exists():
            shutil.copytree(src.parent / folder, dst.parent / folder)


def api_pages(src:Path, modules:dict) -> list[str]:
    "One page per module of the package: a link to its notebook, then every public name with its docstring and docments."
    import mtslvr
    (src / 'api').mkdir()
    pages = []
    for m in pkgutil.iter_modules(mtslvr.__path__):
        if m.name.startswith('_'):
            continue
        title = f'mtslvr.{m.name}'
        nb = f"Defined and explained in the notebook :doc:`{modules[title]} <../{modules[title]}>`.\n\n" if title in modules else ''
        (src / 'api' / f'{m.name}.rst').write_text(f"{title}\n{'=' * len(title)}\n\n{nb}.. automodule:: {title}\n   :members:\n")
        pages.append(f'api/{m.name}')
    return pages


def toctree(caption:str, pages:list[str]) -> str:
    return f'```{{toctree}}\n:hidden:\n:caption: {caption}\n\n' + '\n'.join(pages) + '\n```\n'


def stage(nbs:Path, src:Path):
    "Write the Sphinx sources: the notebooks in the tour's order, the API pages and the configuration."
    modules = tour(nbs)
    pages, have = list(modules), notebooks(nbs)
    missing, extra = [p for p in pages if p not in have], [p for p in have if p not in pages and p != 'index']
    if missing or extra:
        sys.exit(f'{nbs / "index.ipynb"}: the tour table and the notebooks differ: '
                 f'listed but missing {missing or "none"}, present but not listed {extra or "none"}')
    api = api_pages(src, {m: nb for nb, m in modules.items() if m})
    nav = [cell('markdown', toctree('Notebooks', pages[:-1] if pages[-1].startswith('tutorials/') else pages)),
           cell('markdown', toctree('Tutorials', [p for p in pages if p.startswith('tutorials/')])),
           cell('markdown', toctree('API', api))]
    stage_notebook(nbs / 'index.ipynb', src / 'index.ipynb', nav)
    for p in pages:
        stage_notebook(nbs / f'{p}.ipynb', src / f'{p}.ipynb')
    shutil.copy(ROOT / 'tools' / 'docs_conf.py', src / 'conf.py')
    shutil.copy(ROOT / 'tools' / 'favicon.svg', src / 'favicon.svg')


def build(nbs:Path, out:Path) -> list[str]:
    "Stage and build into `out` (replaced); the warnings, each naming the notebook it is about (none: a clean site)."
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils
    nocolor()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / 'src'
        src.mkdir()
        stage(nbs, src)
        warnings, site = io.StringIO(), Path(tmp) / 'site'  # built beside the sources (MyST-NB writes next to it too), then moved
        with patch_docutils(src), docutils_namespace():
            Sphinx(str(src), str(src), str(site), str(Path(tmp) / 'doctrees'), 'html', status=None, warning=warnings,
                   freshenv=True).build()
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(site, out)
        return [w.replace(f'{src}/', f'{nbs}/') for w in warnings.getvalue().splitlines() if w.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--nbs', type=Path, default=ROOT / 'nbs', help='the notebooks (default: nbs/)')
    ap.add_argument('--out', type=Path, default=ROOT / '_docs', help='the site (default: _docs/, replaced)')
    args = ap.parse_args()
    problems = build(args.nbs.resolve(), args.out.resolve())
    if problems:
        print('\n'.join(problems), file=sys.stderr)
        sys.exit(f'the site has {len(problems)} warning(s); a clean build has none')
    print(f'site: {args.out / "index.html"}')


if __name__ == '__main__':
    main()
