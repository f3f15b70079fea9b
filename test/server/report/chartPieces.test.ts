/**
 * The report's building blocks against known answers: escaping in the element builder, nice
 * ticks, number formatting, decimation that keeps spikes, and a line chart's geometry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, h, raw, render } from '../../../server/report/html';
import { decimate, formatNumber, niceTicks, scale, type Point } from '../../../server/report/chartScale';
import { lineChart } from '../../../server/report/lineChart';

test('the builder escapes text and attribute values, never tag names it cannot check', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  assert.equal(render(h('td', { title: '"><script>', class: null, hidden: true }, '<b>', 3, raw('<i>ok</i>'))), '<td title="&quot;&gt;&lt;script&gt;" hidden>&lt;b&gt;3<i>ok</i></td>');
  assert.equal(render(h('meta', { charset: 'utf-8' })), '<meta charset="utf-8">');
  assert.throws(() => h('td onclick=x'), /invalid tag name/);
  assert.throws(() => h('td', { 'x"': 1 }), /invalid attribute name/);
});

test('nice ticks, formatting and scales', () => {
  assert.deepEqual(niceTicks([0.13, 0.87]), { domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
  assert.deepEqual(niceTicks([3, 3]).ticks, [2.6, 2.8, 3, 3.2, 3.4], 'a flat series still gets an axis');
  assert.deepEqual(niceTicks([0, 27]).ticks, [0, 10, 20, 30], 'a step of 5.4 rounds up to 10');
  assert.deepEqual([5e-5, 0.25, 1500, 250_000, 0].map(formatNumber), ['5e-5', '0.25', '1500', '250k', '0']);
  const log = scale([10, 1000], [0, 100], true);
  assert.deepEqual([log(10), log(100), log(1000)], [0, 50, 100]);
});

test('decimation keeps each bucket\'s lowest and highest point, in x order', () => {
  const points: Point[] = Array.from({ length: 1000 }, (_, i) => [i, i === 501 ? 99 : i === 502 ? -99 : 0]);
  const kept = decimate(points, 100);
  assert.ok(kept.length <= 100);
  assert.ok(kept.some((p) => p[1] === 99) && kept.some((p) => p[1] === -99), 'the spike survives');
  assert.deepEqual([...kept].sort((a, b) => a[0] - b[0]), kept);
});

test('a line chart maps its points into the frame and labels its series', () => {
  const html = render(lineChart({ title: 'T', xLabel: 'step', yLabel: 'loss', series: [{ name: 'a <b>', points: [[0, 0], [10, 1]] }] }));
  assert.match(html, /<polyline class="line c0" points="58,202 626,10"><\/polyline>/);
  assert.match(html, /<span class="label">a &lt;b&gt;<\/span>/);
  assert.match(render(lineChart({ title: 'E', xLabel: 'x', yLabel: 'y', series: [{ name: 'nothing', points: [[1, NaN]] }] })), /No values recorded/);
});
