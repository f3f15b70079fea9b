// The text a selection command takes from a notebook: the cell it was invoked on (cell toolbar,
// cell context menu) or the focused cell, narrowed to the selection inside that cell's editor.
import * as vscode from 'vscode';

/** True for a notebook cell (what cell toolbars and cell context menus pass to commands). */
export function isNotebookCell(x: unknown): x is vscode.NotebookCell {
  return typeof x === 'object' && x !== null && 'notebook' in x && 'document' in x && 'index' in x;
}

/** The selected cell of the active notebook editor, if any. */
export function focusedCell(): vscode.NotebookCell | undefined {
  const notebook = vscode.window.activeNotebookEditor;
  if (notebook === undefined || notebook.selection.isEmpty) return undefined;
  return notebook.notebook.cellAt(notebook.selection.start);
}

/** The selection inside `cell`'s editor when it has one, else the whole cell; undefined when blank. */
export function cellSelectionOrText(cell: vscode.NotebookCell): string | undefined {
  const editor = vscode.window.activeTextEditor;
  const text = editor?.document === cell.document && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : cell.document.getText();
  return text.trim() === '' ? undefined : text;
}

/**
 * The text a command invoked from a notebook works on: the cell it was invoked on, else the
 * focused cell (the selection inside it, or all of it); undefined outside a notebook or when blank.
 */
export function notebookText(arg: unknown): string | undefined {
  const cell = isNotebookCell(arg) ? arg : focusedCell();
  return cell === undefined ? undefined : cellSelectionOrText(cell);
}
