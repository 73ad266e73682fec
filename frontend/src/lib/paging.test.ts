import { describe, expect, it } from 'vitest';
import { isPastLastPage, lastPage } from './paging';

describe('paging', () => {
  it('knows the last page', () => {
    expect(lastPage(0, 12)).toBe(1);
    expect(lastPage(12, 12)).toBe(1);
    expect(lastPage(13, 12)).toBe(2);
  });

  it('tells a page after the last one (?page=999) from an empty list', () => {
    expect(isPastLastPage(999, 12, 5)).toBe(true);
    expect(isPastLastPage(2, 12, 12)).toBe(true);
    expect(isPastLastPage(2, 12, 13)).toBe(false);
    expect(isPastLastPage(1, 12, 5)).toBe(false);
    // Nothing matches at all: that is what the list says, whatever the page.
    expect(isPastLastPage(999, 12, 0)).toBe(false);
  });
});
