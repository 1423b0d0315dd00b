"""Check that the notebooks stay lessons: no exported cell over 40 lines, no library line over 120 characters,
no module importing from a module of a later notebook.

    python scripts/lesson_check.py          # lists each problem, ends with the three counts; exit 1 unless all are 0
"""
import json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
MAX_CELL_LINES, MAX_LINE_CHARS = 40, 120

def long_cells():
    "(notebook, cell index, lines) of every exported cell over MAX_CELL_LINES lines."
    for nb in sorted((root/'nbs').glob('*.ipynb')):
        for i, cell in enumerate(json.loads(nb.read_text())['cells']):
            source = ''.join(cell['source'])
            if cell['cell_type'] == 'code' and re.match(r'\s*#\|\s*export', source):
                n = len(source.splitlines())
                if n > MAX_CELL_LINES: yield nb.name, i, n

def long_lines():
    "(module, line number, characters) of every line of koemorph/ over MAX_LINE_CHARS characters."
    for py in sorted((root/'koemorph').glob('*.py')):
        if py.name == '_modidx.py': continue
        for k, line in enumerate(py.read_text().splitlines(), 1):
            generated = line.startswith('__all__ = [')      # nbdev wraps the list at 120, then prefixes its name
            if len(line) > MAX_LINE_CHARS and not generated: yield py.name, k, len(line)

def notebook_of(py):
    "The notebook a module is exported from (nbdev names it in the module's third line)."
    return re.search(r'File to edit: \.\./nbs/(\S+)\.ipynb', py.read_text()).group(1)

def later_imports():
    "(module, imported module) where the import comes from a later notebook than the importer's."
    modules = {py.stem: py for py in (root/'koemorph').glob('*.py') if py.stem not in ('__init__', '_modidx')}
    for name, py in sorted(modules.items()):
        for other in re.findall(r'^from \.(\w+) import', py.read_text(), re.M):
            if notebook_of(modules[other]) > notebook_of(py): yield name, other

if __name__ == '__main__':
    cells, lines, imports = list(long_cells()), list(long_lines()), list(later_imports())
    for nb, i, n in cells: print(f"nbs/{nb}: exported cell {i} has {n} lines (at most {MAX_CELL_LINES})")
    for py, k, n in lines: print(f"koemorph/{py}:{k}: {n} characters (at most {MAX_LINE_CHARS})")
    for name, other in imports: print(f"koemorph/{name}.py imports koemorph/{other}.py, from a later notebook")
    print(f"exported cells over {MAX_CELL_LINES} lines: {len(cells)}; library lines over {MAX_LINE_CHARS} characters: "
          f"{len(lines)}; imports from a later notebook: {len(imports)}")
    sys.exit(1 if cells or lines or imports else 0)
