// How a failed request reaches the user: the server's typed error codes decide between a plain
// message (the user can fix it: the message names the file and the fix) and one with "Show Logs".
import * as vscode from 'vscode';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import { TransferLabErrorCode } from '../server/protocol';
import { ServerDownError, type TrainingServer } from './client';
import { COMMANDS } from './commandIds';

const USER_FIXABLE: ReadonlySet<number> = new Set([
  TransferLabErrorCode.UserInput,
  TransferLabErrorCode.NotFound,
  TransferLabErrorCode.InvalidState,
]);

/** The message of anything thrown (client.ts spells it out: this file imports client.ts). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Shows `error` (from a request or a handler) with the actions that can help. */
export async function reportError(server: TrainingServer, error: unknown, doing: string): Promise<void> {
  if (error instanceof ResponseError && (error.code === ErrorCodes.ConnectionInactive || error.code === ErrorCodes.PendingResponseRejected)) {
    error = new ServerDownError('the connection to it was lost');
  }
  if (error instanceof ResponseError && USER_FIXABLE.has(error.code)) {
    await vscode.window.showErrorMessage(`Transfer Lab: ${error.message}`);
    return;
  }
  if (error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) {
    return; // the user (or a restart) cancelled it: nothing to report
  }
  const detail = errorText(error);
  server.output.error(`${doing} failed: ${detail}`);
  const actions = error instanceof ServerDownError ? [COMMANDS.showLogs.title, COMMANDS.restartServer.title] : [COMMANDS.showLogs.title];
  const text = error instanceof ServerDownError ? detail : `Transfer Lab: ${doing} failed: ${detail}`;
  const choice = await vscode.window.showErrorMessage(text, ...actions);
  if (choice === COMMANDS.showLogs.title) server.output.show();
  else if (choice === COMMANDS.restartServer.title) await server.restart();
}
