"""Build the documentation website into _docs/ without Quarto, the way nbdev builds it.

    python scripts/build_site.py             # process the notebooks into _proc/, then write the site to _docs/
    python scripts/build_site.py --proc-only # only _proc/ (with nbdev.yml), for `cd _proc && quarto render`

Step 1 (process) is nbdev's: each notebook listed in nbs/sidebar.yml goes through nbdev's own notebook processors
(`FilterDefaults`: frontmatter from the `# Title` / `> description` cell, `#| hide`, `#| export` cells removed, `#| exports`
shown folded, a `show_doc` cell after every exported public function and class, backticked names linked to their docs,
ANSI stripped, ...) and the result is written to _proc/, as `nbdev_proc_nbs` does. One processor is swapped: nbdev's
`exec_show_docs` runs every cell that contains an import, and so re-runs notebook code (and fails on cells that mix an
import with code that needs earlier cells). Ours runs only what `show_doc` needs: the exported cells (definitions), the
import statements of the other cells, and the `show_doc` cells. Nothing else is executed: the pages show the outputs
saved in the notebooks.

Step 2 (render) turns each processed notebook into a static HTML page with one template: top bar, left sidebar in
sidebar.yml's order with the current page marked, title and description, a table of contents, code highlighted, saved
outputs (figures written to `<page>_files/`), `show_doc` documentation, `.ipynb` links pointing at the pages, math as
MathML, nbs/styles.css applied, and links to the previous and next page. Page names are nbdev's (`04_model_forward_pass.ipynb`
-> `model_forward_pass.html`) so nbdev's symbol links (`_modidx.py`) resolve within the site.
"""
import argparse, ast, base64, html, json, os, re, shutil, sys, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
os.environ.setdefault('MPLBACKEND', 'Agg')

import yaml
from execnb.nbio import read_nb, write_nb
from nbdev.config import get_config
from nbdev.doclinks import _nbpath2html
from nbdev.process import first_code_ln
from nbdev.processors import FilterDefaults, exec_show_docs, cell_lang, _show_docs, add_links
from nbdev.quarto import _nbdev_yml
from fastcore.xtras import str2bool
import mistune
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name, PythonLexer
from pygments.util import ClassNotFound
from latex2mathml.converter import convert as latex_to_mathml

# ---------------------------------------------------------------------------------------------------------------------
# The pages and their order: nbs/sidebar.yml is the single source.

def sidebar_entries(nbs):
    "nbs/sidebar.yml's contents as a list of ('page', path) and ('section', title, [entries])."
    def walk(items):
        res = []
        for it in items or []:
            if isinstance(it, str): res.append(('page', it))
            elif 'section' in it: res.append(('section', it['section'], walk(it.get('contents'))))
            elif 'href' in it: res.append(('page', it['href']))
            else: raise ValueError(f'nbs/sidebar.yml: cannot read entry {it!r}')
        return res
    sidebar = yaml.safe_load((nbs/'sidebar.yml').read_text())
    return walk(sidebar['website']['sidebar']['contents'])

def sidebar_pages(entries):
    "Notebook paths of the sidebar, in order."
    return [p for e in entries for p in ([e[1]] if e[0] == 'page' else sidebar_pages(e[2]))]

def page_name(nb_rel):
    "The page nbdev (and Quarto) writes for notebook `nb_rel`: numbers dropped, .html."
    return _nbpath2html(Path(nb_rel)).as_posix()

# ---------------------------------------------------------------------------------------------------------------------
# Step 1: nbdev's processors, with show_doc executed but not the notebooks.

_doc_dirs = {'export', 'exports', 'exporti', 'exec_doc'}

class exec_show_docs_only(exec_show_docs):
    """nbdev's `exec_show_docs`, minus re-running notebook code: runs the exported cells (definitions), only the import
    statements of other cells, and the `show_doc` cells, whose outputs it stores. Saved outputs stay as they are."""
    def __call__(self, cell):
        if not self.nb.has_docs_ or not hasattr(self, 'k'): return
        if str2bool(getattr(self.nb, 'frontmatter_', {}).get('skip_showdoc', False)): return
        if cell.cell_type != 'code' or cell_lang(cell) != 'python' or not cell.source: return
        if cell.directives_.get('eval:', [''])[0].lower() == 'false': return
        trees = cell.parsed_()
        if not trees: return
        if _show_docs(trees): self.k.cell(cell)
        elif cell.directives_.keys() & _doc_dirs: self.k.run(cell.source)
        else:
            imports = [t for t in trees if isinstance(t, (ast.Import, ast.ImportFrom))]
            if not imports: return
            self.k.run(ast.unparse(ast.Module(body=imports, type_ignores=[])))
        if self.k.exc:
            title = self.nb.frontmatter_.get('title', '')
            raise RuntimeError(f'show_doc failed in notebook {title!r}, cell {cell.idx_}:\n{cell.source}') from self.k.exc

def repo_links_to_notebooks(md):
    "`md` with links written relative to the repo root (`nbs/01_x.ipynb`, as in the README) pointing at the notebook itself."
    nbs = get_config().nbs_path
    def fix(m):
        target, frag = m.group(2).partition('#')[::2]
        if (nbs/target).exists() or not target.endswith('.ipynb'): return m.group(0)
        p = (root/target).resolve()
        if p.exists() and p.is_relative_to(nbs.resolve()):
            return f"{m.group(1)}{p.relative_to(nbs.resolve()).as_posix()}{'#'+frag if frag else ''})"
        return m.group(0)
    return re.sub(r'(\]\()([^)\s]+\.ipynb(?:#[^)\s]*)?)\)', fix, md)

def fix_notebook_links(cell):
    "Repo-relative notebook links fixed in a markdown cell and in the Markdown outputs of a code cell."
    if cell.cell_type == 'markdown':
        if cell.source: cell.source = repo_links_to_notebooks(cell.source)
        return
    for out in cell.get('outputs', []):
        md = out.get('data', {}).get('text/markdown')
        if md: out['data']['text/markdown'] = repo_links_to_notebooks(''.join(md) if isinstance(md, list) else md)

class SiteFilter(FilterDefaults):
    "nbdev's processors with `exec_show_docs_only` in place of `exec_show_docs`, and repo-root notebook links fixed."
    def base_procs(self):
        procs = [exec_show_docs_only if p is exec_show_docs else p for p in super().base_procs()]
        procs.insert(procs.index(add_links), fix_notebook_links)
        return procs

def process(nbs, proc, pages):
    "Write each sidebar notebook, processed, to `proc`, with the Quarto files beside them; return the processed paths."
    cfg = get_config()
    if proc.exists(): shutil.rmtree(proc)
    proc.mkdir(parents=True)
    for f in nbs.iterdir():  # what Quarto needs to render _proc/ as nbdev_docs would; data folders (_data, ...) stay out
        if f.is_file() and f.suffix != '.ipynb' and not f.name.startswith('.'): shutil.copy2(f, proc/f.name)
        elif f.is_dir() and not f.name.startswith(('_', '.')): shutil.copytree(f, proc/f.name, ignore=shutil.ignore_patterns('*.ipynb', '.*'))
    vals = {k: cfg[k] for k in ['title', 'description', 'branch', 'git_url', 'doc_host', 'doc_baseurl']}
    (proc/'nbdev.yml').write_text(_nbdev_yml.format(doc_path=cfg.doc_path.name, **vals))
    cwd, out = Path.cwd(), []
    os.chdir(nbs)  # as in a notebook: relative paths are relative to nbs/
    os.environ['IN_TEST'] = '1'  # as nbdev's processing does: exported code can tell it is not interactive
    try:
        for rel in pages:
            nb = read_nb(nbs/rel)
            SiteFilter()(nb)
            dest = proc/rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            write_nb(nb, dest)
            out.append(dest)
    finally:
        os.chdir(cwd); os.environ.pop('IN_TEST', None)
    return out

# ---------------------------------------------------------------------------------------------------------------------
# Step 2: render a processed notebook to HTML.

_ansi = re.compile(r'\x1B(?:[@-Z\\-_]|\[[0-?]*[ -/]*[@-~])')

def clean_stream(text):
    "Terminal text as a reader would have seen it: ANSI codes gone, carriage-return redraws (progress bars) collapsed."
    lines = []
    for line in _ansi.sub('', text).split('\n'):
        parts = [p for p in line.split('\r') if p]
        lines.append(parts[-1] if parts else '')
    return '\n'.join(lines)

def anchor_id(text, used):
    "Pandoc's (and so Quarto's) heading identifier for `text`, made unique among `used`."
    s = html.unescape(re.sub(r'<[^>]+>', '', text)).lower()
    s = re.sub(r'[^\w\s.-]', '', s)
    s = re.sub(r'\s+', '-', s.strip())
    s = re.sub(r'^[^a-z]+', '', s) or 'section'
    ident, i = s, 0
    while ident in used: i += 1; ident = f'{s}-{i}'
    used.add(ident)
    return ident

def code_html(code, lang='python'):
    "Highlighted code as Quarto marks it up (`div.sourceCode > pre.sourceCode > code`)."
    try: lexer = get_lexer_by_name(lang) if lang else PythonLexer()
    except ClassNotFound: lexer = None
    body = highlight(code, lexer, HtmlFormatter(nowrap=True)) if lexer else html.escape(code)
    return (f'<div class="sourceCode"><pre class="sourceCode {html.escape(lang or "")}"><code class="sourceCode">'
            f'{body.rstrip()}</code></pre></div>\n')

def math_html(tex, display):
    try: return latex_to_mathml(tex, display='block' if display else 'inline')
    except Exception: return f'<code class="math">{html.escape(tex)}</code>'  # left readable rather than failing the page

_quarto_attr_link = re.compile(r'\[([^\]\n]+)\]\(([^)\s]+)\)\{([^}\n]*)\}')

def quarto_links(md):
    "Quarto's attributed links `[text](url){target=\"_blank\" style=\"...\"}` (show_doc's `source` link) as HTML."
    def rep(m):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(3)))
        if attrs.get('style', '').startswith('float:right'): attrs = {'class': 'source-link', **{k: v for k, v in attrs.items() if k != 'style'}}
        extra = ''.join(f' {k}="{html.escape(v)}"' for k, v in attrs.items())
        if attrs.get('target') == '_blank': extra += ' rel="noopener"'
        return f'<a href="{html.escape(m.group(2))}"{extra}>{m.group(1)}</a>'
    return _quarto_attr_link.sub(rep, md)

class Page:
    "One page of the site: renders the processed notebook `path` (source notebook `rel` under nbs/)."
    def __init__(self, site, rel, path):
        self.site, self.rel, self.path = site, rel, path
        self.name = page_name(rel)
        self.nb = json.loads(path.read_text())
        self.front = self._frontmatter()
        self.title = self.front.get('title') or Path(rel).stem
        self.description = self.front.get('description', '')
        self.ids, self.toc, self.n_figures = set(), [], 0
        self.files_dir = Path(self.name).with_suffix('').as_posix() + '_files'

    def _frontmatter(self):
        cells = self.nb['cells']
        if cells and cells[0]['cell_type'] == 'raw':
            m = re.match(r'^---\s*\n(.*?)\n---', ''.join(cells[0]['source']).strip(), re.S)
            if m: cells.pop(0); return yaml.safe_load(m.group(1)) or {}
        return {}

    # -- links and files --
    def url(self, url):
        "A link or image address as the site needs it: notebooks -> their pages, nbdev's doc links -> local, local files copied."
        if re.match(r'^(mailto:|data:|#)', url): return url
        base = self.site.doc_url
        if base and url.startswith(base):  # nbdev's link to a symbol's documentation
            return '../' * self.name.count('/') + (url[len(base):].lstrip('/') or 'index.html')
        if re.match(r'^[a-z][a-z0-9+.-]*:', url, re.I): return url
        target, _, frag = url.partition('#')
        src = (self.site.nbs/Path(self.rel).parent/target)
        if target.endswith('.ipynb'):
            rel = src.resolve().relative_to(self.site.nbs.resolve()).as_posix() if src.exists() else target
            return page_name(rel) + ('#' + frag if frag else '')
        if src.is_file():  # a local picture or file the notebook refers to: copied next to the page
            dest = self.site.out/Path(self.rel).parent/target
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
        return url

    def save_figure(self, data, ext, cell_idx):
        self.n_figures += 1
        rel = f'{self.files_dir}/figure-html/cell-{cell_idx}-output-{self.n_figures}.{ext}'
        dest = self.site.out/rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(base64.b64decode(''.join(data) if isinstance(data, list) else data))
        return rel

    # -- markdown --
    def markdown(self, text):
        page = self
        class Renderer(mistune.HTMLRenderer):
            def heading(self, text, level, **attrs):
                ident = anchor_id(text, page.ids)
                if level in (2, 3): page.toc.append((level, ident, re.sub(r'<[^>]+>', '', text)))
                return (f'<h{level} id="{ident}" class="anchored">{text}'
                        f'<a class="anchor-link" href="#{ident}" aria-label="link to this section">#</a></h{level}>\n')
            def link(self, text, url, title=None):
                t = f' title="{html.escape(title)}"' if title else ''
                href = page.url(url)
                if page.site.doc_url and url.startswith(page.site.doc_url): t += ' class="doclink"'
                elif re.match(r'^https?:', href): t += ' target="_blank" rel="noopener"'
                return f'<a href="{html.escape(href)}"{t}>{text}</a>'
            def image(self, text, url, title=None):
                return f'<img src="{html.escape(page.url(url))}" alt="{html.escape(re.sub("<[^>]+>", "", text))}" class="img-fluid">'
            def block_code(self, code, info=None):
                return code_html(code, (info or '').split()[0] if info else 'python')
            def table(self, text):
                return f'<div class="table-responsive"><table class="table">\n{text}</table></div>\n'
        md = mistune.create_markdown(renderer=Renderer(escape=False), plugins=['table', 'strikethrough', 'math', 'footnotes'])
        md.renderer.register('block_math', lambda r, tex: f'<div class="math display">{math_html(tex, True)}</div>\n')
        md.renderer.register('inline_math', lambda r, tex: math_html(tex, False))
        return md(quarto_links(text))

    # -- code cells --
    @staticmethod
    def options(source):
        "Quarto's cell options (`#| echo: false`, ...) that nbdev left in the source, and the source without them."
        lines = source.splitlines()
        n = first_code_ln(lines)
        n = len(lines) if n is None else n
        opts = {}
        for l in lines[:n]:
            m = re.match(r'^\s*#\|\s*([\w-]+)\s*:\s*(.*?)\s*$', l)
            if m: opts[m.group(1)] = m.group(2).strip('"\'')
        return opts, '\n'.join(lines[n:]).strip('\n')

    def output(self, out, cell_idx, opts):
        kind = out.get('output_type')
        if kind == 'stream':
            if out.get('name') == 'stderr' and opts.get('warning') == 'false': return ''
            text = clean_stream(''.join(out.get('text', '')))
            if not text.strip(): return ''
            return f'<div class="cell-output cell-output-{out.get("name", "stdout")}"><pre><code>{html.escape(text.rstrip())}</code></pre></div>\n'
        if kind == 'error':
            tb = clean_stream('\n'.join(out.get('traceback', [])) or f"{out.get('ename')}: {out.get('evalue')}")
            return f'<div class="cell-output cell-output-error"><pre><code>{html.escape(tb)}</code></pre></div>\n'
        data, meta = out.get('data', {}), out.get('metadata', {})
        text = lambda k: ''.join(data[k]) if isinstance(data[k], list) else data[k]
        if 'application/vnd.jupyter.widget-view+json' in data:  # an ipywidgets control: it needs a kernel, so say so
            return '<div class="cell-output cell-output-display"><p><em>(An interactive control, live when the notebook runs in Jupyter.)</em></p></div>\n'
        if 'text/markdown' in data:
            body = self.markdown(text('text/markdown'))
            return body if opts.get('output') == 'asis' else f'<div class="cell-output cell-output-display">{body}</div>\n'
        for mime, ext in (('image/png', 'png'), ('image/jpeg', 'jpg'), ('image/gif', 'gif')):
            if mime in data:
                src = self.save_figure(data[mime], ext, cell_idx)
                size = meta.get(mime, {}) if isinstance(meta.get(mime), dict) else {}
                wh = ''.join(f' {k}="{int(size[k])}"' for k in ('width', 'height') if k in size)
                cap = opts.get('fig-cap', '')
                fig = f'<img src="{src}" class="figure-img img-fluid" alt="{html.escape(cap or "figure")}"{wh}>'
                if cap: fig = f'<figure class="figure">{fig}<figcaption>{html.escape(cap)}</figcaption></figure>'
                return f'<div class="cell-output cell-output-display">{fig}</div>\n'
        if 'image/svg+xml' in data: return f'<div class="cell-output cell-output-display">{text("image/svg+xml")}</div>\n'
        if 'text/html' in data: return f'<div class="cell-output cell-output-display">{text("text/html")}</div>\n'
        if 'text/latex' in data: return f'<div class="cell-output cell-output-display">{math_html(text("text/latex").strip("$"), True)}</div>\n'
        if 'text/plain' in data:
            return f'<div class="cell-output cell-output-display"><pre><code>{html.escape(clean_stream(text("text/plain")))}</code></pre></div>\n'
        return ''

    def code_cell(self, cell, idx):
        opts, src = self.options(''.join(cell['source']))
        if opts.get('include') == 'false': return ''
        outs = '' if opts.get('output') == 'false' else ''.join(self.output(o, idx, opts) for o in cell.get('outputs', []))
        code = ''
        if src.strip() and opts.get('echo') != 'false':
            code = code_html(src, cell.get('metadata', {}).get('language', 'python'))
            fold = opts.get('code-fold')
            if fold in ('true', 'show'):
                summary = html.escape(opts.get('code-summary', 'Code'))
                code = f'<details class="code-fold"{" open" if fold == "show" else ""}><summary>{summary}</summary>\n{code}</details>\n'
        if not code and not outs: return ''
        if opts.get('output') == 'asis' and not code: return outs  # show_doc: its markdown stands on the page directly
        return f'<div class="cell" id="cell-{idx}">\n{code}{outs}</div>\n'

    def body(self):
        parts = []
        for i, cell in enumerate(self.nb['cells']):
            src = ''.join(cell['source'])
            if cell['cell_type'] == 'markdown': parts.append(self.markdown(src))
            elif cell['cell_type'] == 'code': parts.append(self.code_cell(cell, i))
            elif cell['cell_type'] == 'raw' and cell.get('metadata', {}).get('format') == 'text/html': parts.append(src)
        return ''.join(parts)

# ---------------------------------------------------------------------------------------------------------------------
# The page template and the site.

_template = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="scripts/site.py (nbdev processors, no Quarto)">
<title>{title} – {site_title}</title>
<meta name="description" content="{description}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{up}site.css">
{css}
</head>
<body>
<header class="navbar"><a class="navbar-brand" href="{up}index.html">{site_title}</a>
<span class="navbar-tagline">{site_description}</span>
<a class="navbar-repo" href="{git_url}" target="_blank" rel="noopener">GitHub</a></header>
<div class="page-columns">
<nav id="quarto-sidebar" class="sidebar" aria-label="Pages">
{sidebar}
</nav>
<main class="content" id="quarto-document-content">
<header id="title-block-header">
<h1 class="title">{title}</h1>
{subtitle}
</header>
{body}
<nav class="page-navigation" aria-label="Previous and next page">
<div class="nav-page nav-page-previous">{prev}</div>
<div class="nav-page nav-page-next">{next}</div>
</nav>
</main>
<nav id="TOC" class="toc" aria-label="On this page">
{toc}
</nav>
</div>
</body>
</html>
"""

_site_css = """/* The site's own style (the look of nbdev's Quarto 'cosmo' sites); nbs/styles.css is applied after it. */
:root { --primary: #2780e3; --text: #343a40; --muted: #6c757d; --border: #dee2e6; --code-bg: #f1f3f5; --side: 250px; --toc: 210px; }
* { box-sizing: border-box; }
html { scroll-padding-top: 4rem; }
body { margin: 0; font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif;
       font-size: 16px; line-height: 1.55; color: var(--text); background: #fff; }
a { color: var(--primary); text-decoration: none; } a:hover { text-decoration: underline; }
.navbar { position: sticky; top: 0; z-index: 10; display: flex; align-items: baseline; gap: 1rem; padding: .7rem 1.5rem;
          background: var(--primary); color: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
.navbar a { color: #fff; } .navbar-brand { font-size: 1.25rem; font-weight: 600; }
.navbar-tagline { opacity: .85; font-size: .9rem; flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.navbar-repo { font-size: .9rem; }
.page-columns { display: grid; grid-template-columns: var(--side) minmax(0, 1fr) var(--toc); gap: 2rem; max-width: 1400px; margin: 0 auto; }
.sidebar, .toc { position: sticky; top: 3.6rem; align-self: start; max-height: calc(100vh - 3.6rem); overflow-y: auto; padding: 1.5rem 0 2rem; font-size: .9rem; }
.sidebar { padding-left: 1.2rem; }
.sidebar ul, .toc ul { list-style: none; margin: 0; padding: 0; }
.sidebar li a { display: block; padding: .28rem .7rem; border-left: 2px solid transparent; color: var(--text); border-radius: 0 4px 4px 0; }
.sidebar li a:hover { background: #f1f5fb; text-decoration: none; }
.sidebar li a.active { border-left-color: var(--primary); color: var(--primary); font-weight: 600; background: #eaf2fc; }
.sidebar .sidebar-section { margin: .9rem 0 .3rem .7rem; font-weight: 600; color: var(--muted); text-transform: uppercase; font-size: .75rem; letter-spacing: .04em; }
.toc h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 .5rem; }
.toc li a { display: block; padding: .15rem .5rem; color: var(--muted); border-left: 1px solid var(--border); }
.toc li.toc-3 a { padding-left: 1.3rem; font-size: .85em; }
.toc li a:hover { color: var(--primary); text-decoration: none; }
.toc .toc-actions { margin-top: 1rem; font-size: .85em; }
.content { min-width: 0; padding: 1.5rem 0 3rem; }
#title-block-header { margin-bottom: 1.5rem; }
h1.title { font-size: 2.2rem; margin: .3rem 0 .4rem; line-height: 1.2; }
.subtitle.lead { font-size: 1.2rem; color: var(--muted); margin: 0; }
h2, h3, h4 { line-height: 1.25; margin: 2rem 0 .8rem; } h2 { font-size: 1.6rem; border-bottom: 1px solid var(--border); padding-bottom: .3rem; }
h3 { font-size: 1.3rem; } h4 { font-size: 1.1rem; }
.anchor-link { visibility: hidden; margin-left: .4rem; color: var(--muted); font-weight: 400; }
h2:hover .anchor-link, h3:hover .anchor-link, h4:hover .anchor-link { visibility: visible; }
p, ul, ol { margin: 0 0 1rem; }
code { font-family: "DejaVu Sans Mono", SFMono-Regular, Menlo, Consolas, monospace; font-size: .875em; }
p code, li code, td code, h2 code, h3 code { background: var(--code-bg); color: #7d12ba; padding: .1em .3em; border-radius: 3px; }
a code { color: inherit; }
pre { margin: 0; overflow-x: auto; }
div.sourceCode { background: var(--code-bg); border-radius: 4px; padding: .7rem .9rem; margin: 0 0 1rem; }
.cell div.sourceCode { margin-bottom: .4rem; }
pre.sourceCode code { font-size: .84rem; line-height: 1.45; }
.cell { margin: 0 0 1.2rem; }
.cell-output pre { padding: .45rem .9rem; border-left: 3px solid var(--border); font-size: .84rem; line-height: 1.4; }
.cell-output-stderr pre { border-left-color: #f0ad4e; background: #fffaf0; }
.cell-output-error pre { border-left-color: #dc3545; background: #fff5f5; }
.cell-output-display { margin: .4rem 0; }
.cell-output-display img, img.img-fluid { max-width: 100%; height: auto; }
details.code-fold > summary { cursor: pointer; color: var(--muted); font-size: .9rem; margin-bottom: .4rem; }
.table-responsive { overflow-x: auto; margin: 0 0 1.2rem; }
table.table { border-collapse: collapse; width: 100%; font-size: .92rem; }
table.table th, table.table td { border-bottom: 1px solid var(--border); padding: .4rem .7rem; text-align: left; vertical-align: top; }
table.table thead th { border-bottom: 2px solid #adb5bd; }
table.table tbody tr:nth-child(odd) { background: #f8f9fa; }
blockquote { margin: 0 0 1rem; padding: .5rem 1rem; border-left: 4px solid var(--border); color: var(--muted); }
hr { border: 0; border-top: 1px solid var(--border); margin: 2rem 0 1rem; }
a.source-link { float: right; font-size: .85rem; }
.math.display { overflow-x: auto; margin: 0 0 1rem; } math { font-size: 1.1em; }
.page-navigation { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--border); }
.nav-page a { display: block; max-width: 22rem; } .nav-page-next { text-align: right; margin-left: auto; }
.nav-page small { display: block; color: var(--muted); }
@media (max-width: 1100px) { .page-columns { grid-template-columns: var(--side) minmax(0, 1fr); } .toc { display: none; } }
@media (max-width: 760px) { .page-columns { display: block; padding: 0 1rem; } .sidebar { position: static; max-height: none; padding: 1rem 0; } }
/* Code colours: Quarto's 'arrow' light theme, on Pygments' token classes */
.sourceCode .k, .sourceCode .kn, .sourceCode .kd, .sourceCode .kr, .sourceCode .ow { color: #003b4f; font-weight: 600; }
.sourceCode .kc, .sourceCode .bp { color: #8f5902; }
.sourceCode .s, .sourceCode .s1, .sourceCode .s2, .sourceCode .sa, .sourceCode .sb, .sourceCode .se, .sourceCode .si, .sourceCode .sd, .sourceCode .sh { color: #20794d; }
.sourceCode .c, .sourceCode .c1, .sourceCode .cm, .sourceCode .ch { color: #5e5e5e; font-style: italic; }
.sourceCode .mi, .sourceCode .mf, .sourceCode .mh, .sourceCode .mo, .sourceCode .il { color: #ad0000; }
.sourceCode .nf, .sourceCode .fm { color: #4758ab; } .sourceCode .nc { color: #4758ab; font-weight: 600; }
.sourceCode .nb { color: #4758ab; } .sourceCode .nd { color: #8f5902; } .sourceCode .o { color: #5e5e5e; }
.sourceCode .err { color: inherit; border: 0; }
"""

class Site:
    "The website: sidebar entries, pages (processed notebooks) and where it is written."
    def __init__(self, nbs, out, proc_paths, pages, entries):
        self.nbs, self.out, self.entries = nbs, out, entries
        cfg = get_config()
        self.cfg = cfg
        self.doc_url = (cfg.get('doc_host', '').rstrip('/') + '/' + cfg.get('doc_baseurl', '').strip('/')).rstrip('/') + '/'
        self.title = cfg.get('title', cfg.lib_name)
        self.pages = [Page(self, rel, p) for rel, p in zip(pages, proc_paths)]
        self.by_rel = {p.rel: p for p in self.pages}
        self.by_name = {p.name: p for p in self.pages}
        quarto = yaml.safe_load((nbs/'_quarto.yml').read_text()) if (nbs/'_quarto.yml').exists() else {}
        css = ((quarto.get('format') or {}).get('html') or {}).get('css') or []
        self.css = [css] if isinstance(css, str) else list(css)
        self.toc_on = ((quarto.get('format') or {}).get('html') or {}).get('toc', True)

    def sidebar_html(self, current):
        up = '../' * current.name.count('/')
        def items(entries):
            res = []
            for e in entries:
                if e[0] == 'section':
                    res.append(f'<li><div class="sidebar-section">{html.escape(e[1])}</div><ul>{items(e[2])}</ul></li>')
                    continue
                p = self.by_rel[e[1]]
                active = ' class="active" aria-current="page"' if p is current else ''
                res.append(f'<li><a href="{up}{p.name}"{active}>{html.escape(p.title)}</a></li>')
            return '\n'.join(res)
        return f'<ul>\n{items(self.entries)}\n</ul>'

    def fix_doclinks(self, page, body):
        """nbdev links every backticked exported name to its documentation's anchor, but only public top-level names get a
        `show_doc` section: a method's link goes to its class instead, and a name with no section at all stays plain code."""
        def rep(m):
            href, inner = html.unescape(m.group(1)), m.group(2)
            target, _, frag = href.partition('#')
            tp = self.by_name.get(target.lstrip('./') or page.name)
            if tp is None or not frag or frag in tp.ids: return m.group(0)
            if '.' in frag and frag.rsplit('.', 1)[0] in tp.ids:
                return m.group(0).replace(html.escape(f'#{frag}'), html.escape(f"#{frag.rsplit('.', 1)[0]}"), 1)
            self.unlinked += 1
            return inner
        return re.sub(r'<a href="([^"]*)" class="doclink">(.*?)</a>', rep, body)

    def write_page(self, i, page, body):
        body = self.fix_doclinks(page, body)
        up = '../' * page.name.count('/')
        def nav(j, label):
            if not 0 <= j < len(self.pages): return ''
            p = self.pages[j]
            return f'<a href="{up}{p.name}"><small>{label}</small>{html.escape(p.title)}</a>'
        toc = ''
        if self.toc_on and page.toc:
            lis = '\n'.join(f'<li class="toc-{lvl}"><a href="#{ident}">{html.escape(html.unescape(t))}</a></li>' for lvl, ident, t in page.toc)
            toc = f'<h2 id="toc-title">On this page</h2>\n<ul>\n{lis}\n</ul>'
        issue = f'{self.cfg.get("git_url", "").rstrip("/")}/issues/new'
        toc += f'\n<div class="toc-actions"><a href="{issue}" target="_blank" rel="noopener">Report an issue</a></div>'
        desc = page.markdown(page.description).strip().removeprefix('<p>').removesuffix('</p>') if page.description else ''
        text = _template.format(
            title=html.escape(page.title), site_title=html.escape(self.title), up=up,
            description=html.escape(page.description), site_description=html.escape(self.cfg.get('description', '')),
            git_url=html.escape(self.cfg.get('git_url', '')),
            css='\n'.join(f'<link rel="stylesheet" href="{up}{html.escape(c)}">' for c in self.css),
            sidebar=self.sidebar_html(page), subtitle=f'<p class="subtitle lead">{desc}</p>' if desc else '',
            body=body, prev=nav(i - 1, 'Previous'), next=nav(i + 1, 'Next'), toc=toc)
        dest = self.out/page.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text)
        return dest

    def build(self):
        if self.out.exists(): shutil.rmtree(self.out)
        self.out.mkdir(parents=True)
        (self.out/'site.css').write_text(_site_css)
        (self.out/'.nojekyll').touch()
        for c in self.css:
            if (self.nbs/c).exists(): shutil.copy2(self.nbs/c, self.out/c)
        bodies = [p.body() for p in self.pages]  # all first: a page's links need the anchors of the pages they point at
        self.unlinked = 0
        return [self.write_page(i, p, b) for i, (p, b) in enumerate(zip(self.pages, bodies))]

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--proc-only', action='store_true', help='only write the processed notebooks (and nbdev.yml) to _proc/')
    ap.add_argument('--out', default=None, help='where to write the site (default: settings.ini doc_path, _docs)')
    args = ap.parse_args(argv)
    os.chdir(root)
    cfg = get_config()
    nbs, proc = cfg.nbs_path, cfg.config_path/'_proc'
    out = Path(args.out).resolve() if args.out else cfg.doc_path
    entries = sidebar_entries(nbs)
    pages = sidebar_pages(entries)
    missing = [p for p in pages if not (nbs/p).exists()]
    if missing: sys.exit(f'nbs/sidebar.yml lists notebooks that do not exist: {missing}')
    unlisted = sorted(set(p.relative_to(nbs).as_posix() for p in nbs.rglob('*.ipynb')
                          if not any(s.startswith(('_', '.')) for s in p.relative_to(nbs).parts)) - set(pages))
    if unlisted: print(f'note: notebooks not in nbs/sidebar.yml get no page: {", ".join(unlisted)}')
    t0 = time.time()
    proc_paths = process(nbs, proc, pages)
    print(f'processed {len(proc_paths)} notebooks into {proc.relative_to(root)}/ in {time.time() - t0:.1f} s')
    if args.proc_only: return
    t1 = time.time()
    site = Site(nbs, out, proc_paths, pages, entries)
    written = site.build()
    n_fig = sum(1 for _ in out.rglob('figure-html/*'))
    print(f'wrote {len(written)} pages and {n_fig} figures to {out.relative_to(root) if out.is_relative_to(root) else out}/ '
          f'in {time.time() - t1:.1f} s; open {out/"index.html"}')
    if site.unlinked: print(f'note: {site.unlinked} names linked by nbdev have no documentation section (private, or methods '
                            f'without show_doc) and were left as plain code')

if __name__ == '__main__':
    main()
