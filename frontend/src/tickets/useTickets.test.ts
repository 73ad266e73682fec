import { describe, expect, it } from 'vitest';
import { standaloneSvg } from './useTickets';

describe('standaloneSvg', () => {
  it('adds the SVG namespace an <img> needs to an inline-style SVG', () => {
    expect(standaloneSvg('<svg width="232" height="232" class="segno"><title>A-1</title></svg>')).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="232" height="232" class="segno"><title>A-1</title></svg>',
    );
  });

  it('leaves a standalone SVG alone', () => {
    const svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1"></svg>';
    expect(standaloneSvg(svg)).toBe(svg);
  });
});
