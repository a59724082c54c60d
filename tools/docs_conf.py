"""Sphinx configuration of the documentation site (tools/docs.py copies it into the staged sources as conf.py).

MyST-NB renders each notebook from its saved outputs (never executing it), autodoc writes the API pages from the
docstrings, a hook adds each parameter's docment, and a post-transform turns every inline `name` that names a public
object into a link to its API entry, as nbdev's own sites do.
"""
import importlib
import inspect
import re

from docutils import nodes
from fastcore.docments import docments
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

project = 'mtslvr'
author = 'the mtslvr authors'
extensions = ['myst_nb', 'sphinx.ext.autodoc']
html_theme = 'furo'
html_title = 'mtslvr'
html_static_path = []
html_favicon = 'favicon.svg'  # tools/favicon.svg, copied beside this file
nb_execution_mode = 'off'  # the saved outputs are the page; nothing runs at build time
nb_merge_streams = True
myst_enable_extensions = ['dollarmath', 'colon_fence']
myst_heading_anchors = 3  # links to a notebook's sections (page.ipynb#a-heading) resolve and are checked
autodoc_member_order = 'bysource'
autodoc_typehints = 'signature'
autodoc_default_options = {'members': True, 'show-inheritance': False}
exclude_patterns = ['_build']
suppress_warnings = []


def rst(text:str) -> str:
    "A docstring or docment written with Markdown's backticks, as reStructuredText: `x` as a literal, the rest escaped."
    parts, out = re.split(r'(`[^`]+`)', text), []
    for i, part in enumerate(parts):
        if len(part) > 1 and part[0] == part[-1] == '`':  # a literal needs a space or punctuation on each side: `x`s -> ``x``\ s
            before = '\\ ' if i and re.search(r'\w$', parts[i - 1]) else ''
            after = '\\ ' if i + 1 < len(parts) and re.match(r'\w', parts[i + 1]) else ''
            out.append(f'{before}``{part.strip("`")}``{after}')
        else:
            out.append(re.sub(r'(\w)_(?=\W|$)', r'\1\\_', re.sub(r'([*|\\])', r'\\\1', part)))
    return ''.join(out)


def field_docment(name:str) -> str:
    "The docment of NamedTuple field `name` (`mtslvr.augment.Views.view1`): the comment after the field in its class's source."
    parts, obj = name.split('.'), None
    for i in range(len(parts) - 2, 0, -1):  # the longest importable prefix is the module; the rest leads to the class
        try:
            obj = importlib.import_module('.'.join(parts[:i]))
        except ImportError:
            continue
        for p in parts[i:-1]:
            obj = getattr(obj, p, None)
        break
    try:
        src = inspect.getsource(obj)
    except (OSError, TypeError):
        return ''
    found = {m[1]: m[2].strip() for m in re.finditer(r'^\s+(\w+)\s*:[^#\n]*#(.*)$', src, re.M)}
    return found.get(parts[-1], '')


def add_docments(app, what, name, obj, options, lines):
    "Each parameter's (or dataclass field's) docment as a :param: line, and the return value's as :returns:."
    if what in ('attribute', 'property') and [s for s in lines if s.strip()] and re.fullmatch(r'Alias for field number \d+', lines[0]):
        lines[:] = [field_docment(name)]  # a NamedTuple field: its docment, not the position autodoc states
    lines[:] = [rst(s) for s in lines]
    if what not in ('function', 'class', 'method'):
        return
    try:
        docs = docments(obj, full=True)
    except Exception:  # builtins and objects without source: the docstring alone
        return
    extra = [f':param {k}: {rst(v["docment"])}' for k, v in docs.items() if k != 'return' and v.get('docment')]
    if docs.get('return', {}).get('docment'):
        extra.append(f":returns: {rst(docs['return']['docment'])}")
    if extra:
        lines += [''] + extra


class LinkNames(SphinxPostTransform):
    "Inline code that names a public object (`TwoViewAugment`, `train.pretrain`, `mtslvr.core.check_waveform()`) links to its API entry."
    default_priority = 900
    builders = ('html', 'dirhtml')

    def targets(self) -> dict:
        found = {}
        for name, _, kind, doc, anchor, _ in self.env.get_domain('py').get_objects():
            if kind == 'module':
                continue
            parts = name.split('.')
            for key in {name, '.'.join(parts[1:]), '.'.join(parts[2:]), parts[-1]} - {''}:
                found.setdefault(key, set()).add((name, doc, anchor))
        return found

    def run(self):
        found = self.targets()
        for lit in list(self.document.findall(nodes.literal)):
            if lit.parent is None or isinstance(lit.parent, (nodes.reference, addnodes.desc_signature, nodes.literal_block)):
                continue
            hits = found.get(re.sub(r'\(.*\)$', '', lit.astext().strip()), set())
            if len(hits) != 1:  # unknown, or a short name two modules share: left as code
                continue
            name, doc, anchor = next(iter(hits))
            uri = self.app.builder.get_relative_uri(self.env.docname, doc) + '#' + anchor
            ref = nodes.reference('', '', internal=True, refuri=uri, reftitle=name, classes=['api-link'])
            lit.replace_self(ref)
            ref += lit


def setup(app):
    app.connect('autodoc-process-docstring', add_docments)
    app.add_post_transform(LinkNames)
