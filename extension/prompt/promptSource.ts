// Where a prompt command takes its text from: an explicit argument (the CodeLens of a prompt
// file, a notebook cell from its toolbar), else the focused notebook cell (its selection when
// its editor has one), else the active text editor's selection or the paragraph around the cursor. Panels open with ViewColumn.Beside, i.e. beside the editor or notebook.
import * as vscode from 'vscode';
import { focusedCell, isNotebookCell } from '../notebook/cellText';
import { paragraphAt } from './promptText';

export interface PromptSource {
  readonly text: string;
  /** Where generated text is inserted when `transferLab.prompt.insertInEditor` is on. */
  readonly insertAt?: { readonly uri: vscode.Uri; readonly position: vscode.Position };
}

/** A CodeLens argument: a block of a prompt file. */
export interface PromptBlockArg {
  readonly uri: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** A text given outright (the Models view's "Prompt with This Model…" asks for it). */
export interface PromptTextArg {
  readonly promptText: string;
}

function isTextArg(x: unknown): x is PromptTextArg {
  return typeof x === 'object' && x !== null && typeof (x as Record<string, unknown>)['promptText'] === 'string';
}

function isBlockArg(x: unknown): x is PromptBlockArg {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r['uri'] === 'string' && typeof r['startLine'] === 'number' && typeof r['endLine'] === 'number';
}

/** The text the command works on, or undefined (after saying why) when there is none. */
export async function resolvePromptSource(arg: unknown): Promise<PromptSource | undefined> {
  if (isTextArg(arg)) return { text: arg.promptText };
  if (isBlockArg(arg)) return fromBlock(arg);
  if (isNotebookCell(arg)) return fromCell(arg);
  // In a notebook, the focused cell: the last cell editor can still be the active text editor
  // after the user right-clicked another cell.
  const cell = focusedCell();
  const editor = vscode.window.activeTextEditor;
  if (cell !== undefined && editor?.document !== cell.document) return fromCell(cell);
  if (editor !== undefined) {
    const source = fromEditor(editor);
    if (source !== undefined) return source;
  }
  if (cell !== undefined && cell.document.getText().trim() !== '') return fromCell(cell);
  void vscode.window.showInformationMessage('Transfer Lab: select some text (or put the cursor in a paragraph) first.');
  return undefined;
}

function fromEditor(editor: vscode.TextEditor): PromptSource | undefined {
  const { document, selection } = editor;
  if (!selection.isEmpty) {
    const text = document.getText(selection);
    if (text.trim() !== '') return { text, insertAt: { uri: document.uri, position: selection.end } };
  }
  const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
  const span = paragraphAt(lines, selection.active.line);
  if (span === undefined) return undefined;
  const range = new vscode.Range(span.startLine, 0, span.endLine, lines[span.endLine]!.length);
  return { text: document.getText(range), insertAt: { uri: document.uri, position: range.end } };
}

async function fromBlock(arg: PromptBlockArg): Promise<PromptSource | undefined> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(arg.uri));
  const end = document.lineAt(Math.min(arg.endLine, document.lineCount - 1)).range.end;
  const range = new vscode.Range(arg.startLine, 0, end.line, end.character);
  return { text: document.getText(range), insertAt: { uri: document.uri, position: range.end } };
}

function fromCell(cell: vscode.NotebookCell): PromptSource | undefined {
  // The cell's own editor has focus with a selection: that selection is the text.
  const editor = vscode.window.activeTextEditor;
  if (editor?.document === cell.document && !editor.selection.isEmpty) return fromEditor(editor);
  const text = cell.document.getText();
  if (text.trim() === '') {
    void vscode.window.showInformationMessage('Transfer Lab: this cell is empty.');
    return undefined;
  }
  return { text, insertAt: { uri: cell.document.uri, position: cell.document.lineAt(cell.document.lineCount - 1).range.end } };
}
