"""Build the documentation website into _docs/ without Quarto, from the notebooks as nbdev processes them.

    python scripts/build_site.py              # process the notebooks into _proc/ (nbdev), then write _docs/
    python scripts/build_site.py --proc-only  # only the processing: fails on the first cell nbdev cannot process
    python scripts/build_site.py --force      # reprocess every notebook (by default nbdev redoes only changed ones)

Processing is `nbdev_proc_nbs`'s: `refresh_quarto_yml` and `proc_nbs` (nbdev's processors: frontmatter, hidden and
exported cells removed, `show_doc` run and shown, names linked to their docs). Only its Quarto installer is left out;
the deploy workflow runs stock `nbdev_docs`, with Quarto. Rendering writes one static page per notebook of
nbs/sidebar.yml, showing the outputs saved in it (no notebook is re-run): top bar, sidebar with the current page
marked, title and description, table of contents, code highlighted by Pygments, outputs and figures, math as MathML,
nbs/styles.css, previous and next page. Page names, heading anchors and CSS classes are Quarto's, so nbdev's links
resolve and scripts/browser_test.py checks this site and a Quarto-built one alike.
"""
import argparse, base64, html, json, os, posixpath, re, shutil, sys, time
from pathlib import Path

import mistune, yaml
from latex2mathml.converter import convert as mathml
from nbdev.config import get_config
from nbdev.quarto import refresh_quarto_yml
from nbdev.serve import proc_nbs
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

root = Path(__file__).resolve().parent.parent
os.environ.setdefault('MPLBACKEND', 'Agg')
esc, ANSI = html.escape, re.compile(r'\x1b\[[0-9;]*[A-Za-z]')

def notebooks(items):
    "The notebooks of a sidebar.yml `contents` list, in order."
    for it in items:
        if isinstance(it, dict) and 'section' in it: yield from notebooks(it.get('contents', []))
        else: yield it if isinstance(it, str) else it['href']

def anchor_id(text, used):
    "Pandoc's (and so Quarto's) identifier for a heading, unique among `used`."
    s = re.sub(r'\s+', '-', re.sub(r'[^\w\s.-]', '', html.unescape(re.sub(r'<[^>]+>', '', text)).lower()).strip())
    s = ident = re.sub(r'^[^a-z]+', '', s) or 'section'
    for i in range(1, len(used) + 2):
        if ident not in used: break
        ident = f'{s}-{i}'
    used.add(ident)
    return ident

def code_html(code, lang='python'):
    try: lexer = get_lexer_by_name(lang)
    except ClassNotFound: lexer = get_lexer_by_name('text')  # a language Pygments does not know: plain
    code = highlight(code, lexer, HtmlFormatter(nowrap=True)).rstrip()
    return f'<div class="sourceCode"><pre class="sourceCode"><code>{code}</code></pre></div>\n'

def text_html(kind, text):
    "A text output as Quarto marks it up, without ANSI codes."
    text = esc(ANSI.sub('', text).rstrip())
    return f'<div class="cell-output cell-output-{kind}"><pre><code>{text}</code></pre></div>\n'

def math_html(tex, display):
    try: return mathml(tex, display='block' if display else 'inline')
    except Exception: return f'<code class="math">{esc(tex)}</code>'  # readable rather than a failed page

class Renderer(mistune.HTMLRenderer):
    "Markdown as Quarto marks it up: anchored headings (collected for the TOC), links mapped by the page."
    def __init__(self, page): super().__init__(escape=False); self.page = page
    def heading(self, text, level, **attrs):
        ident = anchor_id(text, self.page.ids)
        if level in (2, 3): self.page.toc.append((level, ident, re.sub(r'<[^>]+>', '', text)))
        link = f'<a class="anchor-link" href="#{ident}">#</a>'
        return f'<h{level} id="{ident}" class="anchored">{text}{link}</h{level}>\n'
    def link(self, text, url, title=None):
        attrs = (' class="doclink"' if url.startswith(self.page.site.doc_url) else
                 ' target="_blank" rel="noopener"' if re.match(r'https?:', url) else '')
        return f'<a href="{esc(self.page.url(url))}"{attrs}>{text}</a>'
    def image(self, text, url, title=None): return f'<img src="{esc(self.page.url(url))}" alt="{esc(text)}">'
    def block_code(self, code, info=None): return code_html(code, (info or 'python').split()[0])

class Page:
    "One page: the processed notebook `rel` (path under nbs/) of `site`."
    def __init__(self, site, rel):
        self.site, self.rel, self.ids, self.toc, self.figures = site, rel, set(), [], 0
        self.cells = json.loads((site.proc/rel).read_text())['cells']
        m = re.match(r'---\n(.*?)\n---', ''.join(self.cells[0]['source']), re.S)  # nbdev's frontmatter cell
        self.front = yaml.safe_load(m.group(1)) if m and self.cells[0]['cell_type'] == 'raw' else {}
        self.title = self.front.get('title', Path(rel).stem)
        self.name = (Path(rel).parent/self.front.get('output-file', Path(rel).stem + '.html')).as_posix()

    def href(self, name): return posixpath.relpath(name, Path(self.name).parent)

    def url(self, url):
        "A link as the site needs it: nbdev's doc links made local, notebooks -> their pages, local files copied."
        site = self.site
        if url.startswith(site.doc_url): return self.href(url[len(site.doc_url):] or 'index.html')
        if re.match(r'[a-z]+:|#', url): return url
        target, _, frag = url.partition('#')
        for src in (site.nbs/Path(self.rel).parent/target, root/target):  # beside the notebook, or from the repo root
            if not src.is_file() or not src.resolve().is_relative_to(site.nbs.resolve()): continue
            rel = src.resolve().relative_to(site.nbs.resolve()).as_posix()
            if rel in site.pages: rel = site.pages[rel].name + ('#' + frag if frag else '')
            else: (site.out/rel).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(src, site.out/rel)
            return self.href(rel)
        return url

    def markdown(self, text):
        md = mistune.create_markdown(renderer=Renderer(self), plugins=['table', 'strikethrough', 'math', 'footnotes'])
        md.renderer.register('block_math', lambda r, tex: f'<div class="math display">{math_html(tex, True)}</div>\n')
        md.renderer.register('inline_math', lambda r, tex: math_html(tex, False))
        # show_doc's source link carries Quarto attributes: {target="_blank" style="float:right; ..."}
        source = r'<a class="source-link" href="\1" target="_blank">source</a>'
        return md(re.sub(r'\[source\]\(([^)\s]+)\)\{[^}\n]*\}', source, text))

    def output(self, out, idx, opts):
        data, div, text = out.get('data', {}), 'cell-output-display', lambda v: v if isinstance(v, str) else ''.join(v)
        if out['output_type'] == 'stream':  # carriage-return redraws (progress bars): only what a reader last saw
            t = re.sub(r'[^\n]*\r(?!\n)', '', text(out['text']))
            return text_html(out['name'], t) if t.strip() else ''
        if out['output_type'] == 'error': return text_html('error', '\n'.join(out['traceback']))
        if 'application/vnd.jupyter.widget-view+json' in data:
            return f'<div class="cell-output {div}"><p><em>(An interactive control: live in Jupyter.)</em></p></div>\n'
        if 'text/markdown' in data:
            md = self.markdown(text(data['text/markdown']))
            return md if opts.get('output') == 'asis' else f'<div class="cell-output {div}">{md}</div>\n'
        for mime in ('image/png', 'image/jpeg'):
            if mime in data:
                self.figures += 1
                rel = f'{self.name[:-5]}_files/figure-html/cell-{idx}-output-{self.figures}.{mime[6:]}'
                (self.site.out/rel).parent.mkdir(parents=True, exist_ok=True)
                (self.site.out/rel).write_bytes(base64.b64decode(text(data[mime])))
                src = Path(rel).relative_to(Path(self.name).parent)
                return f'<div class="cell-output {div}"><img src="{src}" alt="figure"></div>\n'
        if 'text/html' in data: return f'<div class="cell-output {div}">{text(data["text/html"])}</div>\n'
        return text_html('display', text(data['text/plain'])) if 'text/plain' in data else ''

    def cell(self, cell, idx):
        src = ''.join(cell['source'])
        if cell['cell_type'] == 'markdown': return self.markdown(src)
        if cell['cell_type'] != 'code': return ''
        opts = dict(re.findall(r'^#\|\s*([\w-]+):\s*(.*?)\s*$', src, re.M))  # Quarto's cell options, left by nbdev
        code = re.sub(r'^#\|.*\n?', '', src, flags=re.M).strip()
        body = code_html(code) if code and opts.get('echo') != 'false' else ''
        body += ''.join(self.output(o, idx, opts) for o in cell.get('outputs', []))
        if not body or opts.get('output') == 'asis': return body
        return f'<div class="cell" id="cell-{idx}">\n{body}</div>\n'

    def html(self):
        self.body = ''.join(self.cell(c, i) for i, c in enumerate(self.cells))
        self.description = self.markdown(self.front.get('description', '')).strip()[3:-4]  # without <p></p>

TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {site}</title><meta name="description" content="{description}"><link rel="icon" href="data:,">
<link rel="stylesheet" href="{up}site.css">{css}</head>
<body><header class="navbar"><a class="brand" href="{up}index.html">{site}</a><span>{tagline}</span>
<a href="{git_url}" target="_blank" rel="noopener">GitHub</a></header>
<div class="columns"><nav id="quarto-sidebar" class="sidebar">{sidebar}</nav>
<main class="content"><header id="title-block-header"><h1 class="title">{title}</h1>
<p class="subtitle">{subtitle}</p></header>
{body}
<nav class="page-navigation"><div>{prev}</div><div class="next">{next}</div></nav></main>
<nav id="TOC" class="toc"><h2 id="toc-title">On this page</h2><ul>{toc}</ul>
<a href="{git_url}/issues/new" target="_blank" rel="noopener">Report an issue</a></nav></div></body></html>
"""

CSS = """:root { --primary: #2780e3; --muted: #6c757d; --border: #dee2e6; --code: #f1f3f5; }
body { margin: 0; font: 16px/1.55 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #343a40; }
a { color: var(--primary); text-decoration: none; } a:hover { text-decoration: underline; }
.navbar { position: sticky; top: 0; z-index: 9; display: flex; gap: 1rem; align-items: baseline; padding: .7rem 1.5rem;
          background: var(--primary); color: #fff; } .navbar a { color: #fff; } .navbar span { flex: 1; opacity: .85; }
.brand { font-size: 1.25rem; font-weight: 600; }
.columns { display: grid; grid-template-columns: 250px minmax(0, 1fr) 210px; gap: 2rem; }
.columns { max-width: 1400px; margin: auto; }
.sidebar, .toc { position: sticky; top: 3.5rem; align-self: start; max-height: calc(100vh - 3.5rem); overflow-y: auto;
                 padding: 1.5rem 0 0 1rem; font-size: .9rem; }
.sidebar ul, .toc ul { list-style: none; padding: 0; }
.sidebar a, .toc a { display: block; padding: .25rem .6rem; border-left: 2px solid transparent; color: inherit; }
.sidebar a.active { border-left-color: var(--primary); color: var(--primary); font-weight: 600; background: #eaf2fc; }
.sidebar-section, .toc h2 { margin: .8rem 0 .3rem; font-size: .75rem; text-transform: uppercase; color: var(--muted); }
.toc a { color: var(--muted); border-left: 1px solid var(--border); }
.toc li.toc-3 a { padding-left: 1.3rem; font-size: .85em; }
.content { min-width: 0; padding: 1.5rem 0 3rem; } h1.title { font-size: 2.2rem; margin: .3rem 0; }
.subtitle { font-size: 1.2rem; color: var(--muted); }
h2 { border-bottom: 1px solid var(--border); padding-bottom: .3rem; }
.anchor-link { visibility: hidden; margin-left: .4rem; color: var(--muted); }
:hover > .anchor-link { visibility: visible; }
code { font: .875em "DejaVu Sans Mono", Menlo, Consolas, monospace; }
p code, li code, td code { background: var(--code); color: #7d12ba; padding: .1em .3em; border-radius: 3px; }
pre { margin: 0; overflow-x: auto; font-size: .84rem; line-height: 1.45; }
div.sourceCode { background: var(--code); border-radius: 4px; padding: .7rem .9rem; margin: 0 0 .5rem; }
.cell { margin: 0 0 1.2rem; } .cell-output pre { padding: .4rem .9rem; border-left: 3px solid var(--border); }
.cell-output-stderr pre { border-left-color: #f0ad4e; } .cell-output-error pre { border-left-color: #dc3545; }
img { max-width: 100%; height: auto; } table { display: block; overflow-x: auto; border-collapse: collapse; }
th, td { border-bottom: 1px solid var(--border); padding: .4rem .7rem; text-align: left; }
th { border-bottom-width: 2px; }
blockquote { margin: 0 0 1rem; padding: .5rem 1rem; border-left: 4px solid var(--border); color: var(--muted); }
a.source-link { float: right; font-size: .85rem; } .math.display { overflow-x: auto; }
.page-navigation { display: flex; justify-content: space-between; margin-top: 3rem; border-top: 1px solid #dee2e6; }
.page-navigation .next { text-align: right; }
@media (max-width: 1100px) { .columns { grid-template-columns: 250px minmax(0, 1fr); } .toc { display: none; } }
@media (max-width: 760px) { .columns { display: block; padding: 0 1rem; } .sidebar { position: static; } }
"""

class Site:
    "The pages of nbs/sidebar.yml, rendered from _proc/ into `out`."
    def __init__(self, out):
        self.cfg = cfg = get_config()
        self.nbs, self.proc, self.out = cfg.nbs_path, cfg.config_path/'_proc', out
        self.doc_url = f"{cfg.doc_host.rstrip('/')}/{cfg.doc_baseurl.strip('/')}/"
        self.sidebar = yaml.safe_load((self.nbs/'sidebar.yml').read_text())['website']['sidebar']['contents']
        missing = [rel for rel in notebooks(self.sidebar) if not (self.nbs/rel).exists()]
        if missing: sys.exit(f'nbs/sidebar.yml lists notebooks that do not exist: {", ".join(missing)}')
        self.pages = {rel: Page(self, rel) for rel in notebooks(self.sidebar)}
        css = yaml.safe_load((self.nbs/'_quarto.yml').read_text())['format']['html'].get('css', [])
        self.css = [css] if isinstance(css, str) else css

    def sidebar_html(self, items, page):
        "The sidebar's list, `page` marked current."
        res = []
        for it in items:
            if isinstance(it, dict) and 'section' in it:
                section = f'<div class="sidebar-section">{esc(it["section"])}</div>'
                res.append(f'<li>{section}{self.sidebar_html(it["contents"], page)}</li>')
                continue
            p = self.pages[it if isinstance(it, str) else it['href']]
            cls = ' class="active"' if p is page else ''
            res.append(f'<li><a href="{page.href(p.name)}"{cls}>{esc(p.title)}</a></li>')
        return f'<ul>{"".join(res)}</ul>'

    def local_doclinks(self, page, body):
        """nbdev links a backticked name to its `show_doc` section, which only public names have: a method goes to its
        class's section instead, a name without a section stays plain code."""
        def fix(m):
            href, frag = html.unescape(m.group(1)).partition('#')[::2]
            target = next((p for p in self.pages.values() if page.href(p.name) == href), None)
            if target is None or frag in target.ids: return m.group(0)
            owner = frag.rpartition('.')[0]
            return m.group(0).replace(f'#{frag}"', f'#{owner}"') if owner in target.ids else m.group(2)
        return re.sub(r'<a href="([^"]*)" class="doclink">(.*?)</a>', fix, body)

    def write(self, i, page):
        pages, up = list(self.pages.values()), '../' * page.name.count('/')
        nav = lambda j, label: (f'<a href="{page.href(pages[j].name)}"><small>{label}</small><br>'
                                f'{esc(pages[j].title)}</a>' if 0 <= j < len(pages) else '')
        toc = ''.join(f'<li class="toc-{lvl}"><a href="#{ident}">{t}</a></li>' for lvl, ident, t in page.toc)
        css = ''.join(f'<link rel="stylesheet" href="{up}{c}">' for c in self.css)
        text = TEMPLATE.format(
            title=esc(page.title), site=esc(self.cfg.title), description=esc(page.front.get('description', '')),
            up=up, css=css, tagline=esc(self.cfg.description), git_url=esc(self.cfg.git_url),
            subtitle=page.description,
            sidebar=self.sidebar_html(self.sidebar, page), body=self.local_doclinks(page, page.body), toc=toc,
            prev=nav(i - 1, 'Previous'), next=nav(i + 1, 'Next'))
        (self.out/page.name).parent.mkdir(parents=True, exist_ok=True)
        (self.out/page.name).write_text(text)

    def build(self):
        shutil.rmtree(self.out, ignore_errors=True)
        self.out.mkdir(parents=True)
        (self.out/'site.css').write_text(CSS + HtmlFormatter(style='tango').get_style_defs('.sourceCode'))
        (self.out/'.nojekyll').touch()
        for c in self.css: shutil.copy2(self.nbs/c, self.out/c)
        for p in self.pages.values(): p.html()  # every page's anchors first: links point at them
        for i, p in enumerate(self.pages.values()): self.write(i, p)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--proc-only', action='store_true', help='only process the notebooks into _proc/ (nbdev_proc_nbs)')
    ap.add_argument('--force', action='store_true', help='reprocess every notebook, not only the changed ones')
    ap.add_argument('--out', type=Path, help='where to write the site (default: settings.ini doc_path, _docs/)')
    args = ap.parse_args(argv)
    os.chdir(root)
    t0 = time.time()
    refresh_quarto_yml()
    try: proc_nbs(force=args.force)
    except Exception as e:  # exec_show_docs runs every cell with an import: one that also runs code lacks its context
        sys.exit(f'nbdev_proc_nbs failed (nbdev runs every cell that imports: keep such cells to imports only):\n{e}')
    print(f'processed the notebooks into _proc/ in {time.time() - t0:.1f} s (nbdev_proc_nbs)')
    if args.proc_only: return
    t0, site = time.time(), Site((args.out or get_config().doc_path).resolve())
    site.build()
    print(f'wrote {len(site.pages)} pages in {time.time() - t0:.1f} s: open {site.out/"index.html"}')

if __name__ == '__main__':
    main()
