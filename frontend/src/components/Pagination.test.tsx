import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Pagination } from './Pagination';

afterEach(cleanup);

/** The text a reader gets: without what is aria-hidden (the label's invisible width keeper). */
function shownText(element: Element): string {
  const copy = element.cloneNode(true) as Element;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
  return copy.textContent ?? '';
}

const pages = () => screen.getByRole('navigation', { name: 'Pages' });

describe('Pagination', () => {
  it('says the page and the total of its own answer', () => {
    render(<Pagination page={2} pageSize={10} total={30} onPage={() => {}} />);
    expect(shownText(pages())).toContain('Page 2 of 3 · 30 in all');
    expect(pages().hasAttribute('aria-busy')).toBe(false);
  });

  it('while the page loads, says which page is loading and not the previous total', () => {
    // Page 2's answer is on its way; 30 in all was page 1's (or other filters').
    render(<Pagination page={2} pageSize={10} total={30} loading onPage={() => {}} />);
    const shown = shownText(pages());
    expect(shown).toContain('Loading page 2…');
    expect(shown).not.toMatch(/ of \d/);
    expect(shown).not.toContain('in all');
    // Not busy itself: a live region inside an aria-busy element may go unannounced.
    expect(pages().hasAttribute('aria-busy')).toBe(false);
    // What screen readers hear when it changes: the loading page, not a total.
    expect(pages().querySelector('[aria-live="polite"]')?.textContent).toBe('Loading page 2…');
    // The buttons keep their place and are not disabled for the wait (focus would be lost).
    expect((screen.getByRole('button', { name: '← Previous' }) as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByRole('button', { name: 'Next →' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('keeps the width of a label with the previous total, invisible and hidden from screen readers', () => {
    render(<Pagination page={2} pageSize={10} total={30} loading onPage={() => {}} />);
    const ghost = pages().querySelector('.pagination-ghost');
    expect(ghost?.getAttribute('aria-hidden')).toBe('true');
    expect(ghost?.closest('.pagination-label')).toBeTruthy();
    expect(screen.queryByText(/in all/, { ignore: '[aria-hidden="true"]' })).toBeNull();
  });

  it('while loading, does not judge the page by the previous total ("There is no page")', () => {
    // One page of 12 was the previous answer; page 2 of other filters is loading.
    render(<Pagination page={2} pageSize={12} total={12} loading onPage={() => {}} />);
    expect(screen.queryByText(/There is no page/)).toBeNull();
    expect(shownText(pages())).toContain('Loading page 2…');
    cleanup();
    render(<Pagination page={2} pageSize={12} total={12} onPage={() => {}} />);
    expect(screen.getByText('There is no page 2.')).toBeTruthy();
  });
});
