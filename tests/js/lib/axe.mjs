// axe-core run in a page: injected from node_modules as script text (no network), with
// WCAG 2.2's target-size rule on; shared by the tests that check accessibility.

import fs from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe on the open page; returns the serious and critical violations. */
export async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  // target-size (WCAG 2.2 AA, 24×24 px) is off in axe's defaults: old PCs' mice and
  // phones' fingers both need it.
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } }),
  );
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One violation as readable lines: rule, what it means, each element and why. */
export function formatViolation(v) {
  const nodes = v.nodes.slice(0, 8).map((n) => {
    const why = (n.failureSummary || '').replace(/\s*\n\s*/g, ' ');
    return `      ${n.target.join(' ')}\n        ${n.html.slice(0, 160)}\n        ${why}`;
  });
  const more = v.nodes.length > 8 ? [`      … and ${v.nodes.length - 8} more`] : [];
  return [`  [${v.impact}] ${v.id}: ${v.help}`, ...nodes, ...more].join('\n');
}
