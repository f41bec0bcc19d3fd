import { it } from 'node:test';
import assert from 'node:assert/strict';
import { updatedReadme } from '../../scripts/connector-docs.ts';

it('docs/connectors/README.md has every declared connector\'s options table (npm run docs:connectors)', async () => {
  const { current, next } = await updatedReadme();
  assert.ok(next.includes('### `simulator`') && next.includes('| `latencyMs` |'));
  assert.equal(current, next, 'out of date: run npm run docs:connectors');
});
