// The Runs view refreshes its root only when the tree's shape changed; otherwise it re-renders the
// rows whose text changed (a root refresh drops the elements a right-click in flight needs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { treeRefresh, type TreeSnapshot } from '../../extension/views/treeRefresh';

function tree(groups: Record<string, string[]>, renderings: Record<string, string>): TreeSnapshot {
  return { groups: new Map(Object.entries(groups)), renderings: new Map(Object.entries(renderings)) };
}

const before = tree({ 'sms.csv': ['run-2', 'run-1'], 'sst2.tsv': ['run-0'] }, { 'run-2': 'running · step 10', 'run-1': 'completed', 'run-0': 'failed' });

test('progress of a training run re-renders that row only', () => {
  const after = tree({ 'sms.csv': ['run-2', 'run-1'], 'sst2.tsv': ['run-0'] }, { 'run-2': 'running · step 20', 'run-1': 'completed', 'run-0': 'failed' });
  assert.deepEqual(treeRefresh(before, after), ['run-2']);
});

test('nothing changed: nothing to re-render', () => {
  assert.deepEqual(treeRefresh(before, tree({ 'sms.csv': ['run-2', 'run-1'], 'sst2.tsv': ['run-0'] }, { 'run-2': 'running · step 10', 'run-1': 'completed', 'run-0': 'failed' })), []);
});

test('a state change that keeps the shape re-renders the row, not the root', () => {
  const after = tree({ 'sms.csv': ['run-2', 'run-1'], 'sst2.tsv': ['run-0'] }, { 'run-2': 'completed · step 40', 'run-1': 'completed', 'run-0': 'failed' });
  assert.deepEqual(treeRefresh(before, after), ['run-2']);
});

test('a new run, a removed run, a new dataset or another order refreshes the root', () => {
  const renderings = { 'run-3': 'queued', 'run-2': 'running · step 10', 'run-1': 'completed', 'run-0': 'failed' };
  assert.equal(treeRefresh(before, tree({ 'sms.csv': ['run-3', 'run-2', 'run-1'], 'sst2.tsv': ['run-0'] }, renderings)), 'root');
  assert.equal(treeRefresh(before, tree({ 'sms.csv': ['run-2'], 'sst2.tsv': ['run-0'] }, renderings)), 'root');
  assert.equal(treeRefresh(before, tree({ 'sms.csv': ['run-2', 'run-1'], 'sst2.tsv': ['run-0'], 'trec.tsv': ['run-3'] }, renderings)), 'root');
  assert.equal(treeRefresh(before, tree({ 'sst2.tsv': ['run-0'], 'sms.csv': ['run-2', 'run-1'] }, renderings)), 'root');
  assert.equal(treeRefresh(before, tree({ 'sms.csv': ['run-1', 'run-2'], 'sst2.tsv': ['run-0'] }, renderings)), 'root');
});

test('the first render (from an empty tree) is a root refresh', () => {
  assert.equal(treeRefresh(tree({}, {}), before), 'root');
});
