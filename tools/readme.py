"""Build README.md from nbs/index.ipynb (quarto-free), or check that they agree.

    python tools/readme.py          # write README.md
    python tools/readme.py --check  # exit 1 if README.md differs from what index.ipynb gives
"""
import json
import re
import sys
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = '<!-- This file is generated from nbs/index.ipynb by tools/readme.py: edit the notebook, not this file. -->'

def _src(cell):
    return ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']

def _directives(code):
    "Split a code cell into its `#|` directives and the remaining lines."
    lines = code.split('\n')
    direc = []
    while lines and re.match(r'^\s*#\s*\|', lines[0]):
        direc.append(re.sub(r'^\s*#\s*\|\s*', '', lines.pop(0)).strip())
    return direc, '\n'.join(lines).strip('\n')

def _outputs(cell):
    "Text outputs of a code cell (streams and plain-text results), in order."
    out = []
    for o in cell.get('outputs', []):
        if o.get('output_type') == 'stream':
            out.append(''.join(o['text']))
        elif o.get('output_type') in ('execute_result', 'display_data'):
            txt = o.get('data', {}).get('text/plain')
            if txt and 'text/html' not in o['data'] and 'image/png' not in o['data']:
                out.append(''.join(txt))
    return [t.rstrip('\n') for t in out if t.strip()]

def render(nb_path):
    "The README text for notebook `nb_path`."
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    parts = [HEADER]
    for cell in nb['cells']:
        src = _src(cell)
        if cell['cell_type'] == 'markdown':
            if src.strip():
                parts.append(src.strip('\n'))
        elif cell['cell_type'] == 'code':
            direc, code = _directives(src)
            if any(d.startswith('hide') or d.startswith('include: false') or d.startswith('echo: false') for d in direc) or not code.strip():
                continue
            parts.append(f'```python\n{code}\n```')
            parts += [f'```\n{t}\n```' for t in _outputs(cell)]
    return '\n\n'.join(parts) + '\n'

def main(argv):
    cfg = ConfigParser(delimiters=['='])
    cfg.read(ROOT / 'settings.ini', encoding='utf-8')
    nb = ROOT / cfg['DEFAULT']['nbs_path'] / cfg['DEFAULT'].get('readme_nb', 'index.ipynb')
    text, readme = render(nb), ROOT / 'README.md'
    if '--check' in argv:
        if not readme.exists() or readme.read_text(encoding='utf-8') != text:
            print(f'README.md does not match {nb.relative_to(ROOT)}: run `python tools/readme.py`', file=sys.stderr)
            return 1
        print(f'README.md matches {nb.relative_to(ROOT)}')
        return 0
    readme.write_text(text, encoding='utf-8')
    print(f'wrote README.md from {nb.relative_to(ROOT)}')
    return 0

if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
