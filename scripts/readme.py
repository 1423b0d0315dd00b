"""Write README.md from nbs/index.ipynb, as nbdev_readme would without needing Quarto.

Markdown cells are copied; code cells show their source (unless `#| echo: false`) and their saved outputs
(Markdown outputs as Markdown);
`#| hide` cells are left out; PNG outputs are written to images/. With --check, only report whether
README.md and images/ are what the notebook gives (exit 1 if not)."""
import base64, json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def directives(source):
    return {m.group(1): m.group(2).strip() for m in re.finditer(r'^#\|\s*([\w-]+):?\s*(.*)$', source, re.M)}

def strip_directives(source):
    return '\n'.join(l for l in source.splitlines() if not l.startswith('#|')).strip()

def render(nb):
    parts, images = [], {}
    for i, cell in enumerate(nb['cells']):
        source = ''.join(cell['source'])
        if cell['cell_type'] == 'markdown':
            parts.append(source.strip()); continue
        d = directives(source)
        if 'hide' in d or 'default_exp' in d: continue
        if d.get('echo') != 'false' and strip_directives(source): parts.append('```python\n' + strip_directives(source) + '\n```')
        for k, out in enumerate(cell.get('outputs', [])):
            data = out.get('data', {})
            if 'image/png' in data:
                name = f'images/readme_{i}.png' if k == 0 else f'images/readme_{i}_{k}.png'
                images[name] = base64.b64decode(data['image/png'])
                parts.append(f'![]({name})')
            elif 'text/markdown' in data:
                parts.append(''.join(data['text/markdown']).strip())
            elif out.get('output_type') == 'stream' or 'text/plain' in data:
                text = ''.join(out.get('text', data.get('text/plain', '')))
                if text.strip(): parts.append('```\n' + text.rstrip() + '\n```')
    text = '\n\n'.join(parts)
    # nbdev's own title block (# Title / > summary) stays as plain markdown
    return text + '\n', images

def main(check=False):
    nb = json.loads((root/'nbs/index.ipynb').read_text())
    text, images = render(nb)
    stale = (root/'README.md').read_text() != text if (root/'README.md').exists() else True
    stale |= any(not (root/n).exists() or (root/n).read_bytes() != b for n, b in images.items())
    if check:
        if stale: print('README.md is out of date: run `python scripts/readme.py` and commit it with images/')
        return 1 if stale else 0
    (root/'images').mkdir(exist_ok=True)
    for old in (root/'images').glob('readme_*.png'):
        if f'images/{old.name}' not in images: old.unlink()
    for name, data in images.items(): (root/name).write_bytes(data)
    (root/'README.md').write_text(text)
    return 0

if __name__ == '__main__':
    sys.exit(main('--check' in sys.argv))
