import { isPastLastPage, lastPage } from '../lib/paging';

interface Props {
  page: number;
  pageSize: number;
  total: number;
  /**
   * `page`'s answer is loading and `total` is the previous answer's (other filters, another
   * page): it is not said as this one's.
   */
  loading?: boolean;
  onPage: (page: number) => void;
}

export function Pagination({ page, pageSize, total, loading = false, onPage }: Props) {
  const pages = lastPage(total, pageSize);
  if (total === 0) return null;
  if (!loading && isPastLastPage(page, pageSize, total)) {
    // `?page=999` in the address: not "Page 999 of 1", and not "nothing matches" either.
    return (
      <div className="empty">
        <p className="empty-title">There is no page {page}.</p>
        <p className="muted">
          The list has {pages === 1 ? '1 page' : `${pages} pages`} ({total} in all).
        </p>
        <button type="button" className="btn" onClick={() => onPage(pages)}>
          Go to the last page ({pages})
        </button>
      </div>
    );
  }
  const label = `Page ${page} of ${pages} · ${total} in all`;
  return (
    // While loading, the label says which page is coming, and the buttons are not disabled for
    // the wait (a disabled button loses the keyboard's focus) nor moved: the label's box keeps
    // the width of a label with the previous total, invisible and hidden from screen readers,
    // so "Next →" stays under the pointer. The list is what is busy, not this bar: its live
    // region, inside an aria-busy element, might not be announced until the wait is over.
    <nav className="pagination" aria-label="Pages">
      <button type="button" className="btn" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        ← Previous
      </button>
      <span className="pagination-label">
        <span aria-live="polite">{loading ? `Loading page ${page}…` : label}</span>
        {loading && (
          <span className="pagination-ghost" aria-hidden="true">
            {label}
          </span>
        )}
      </span>
      <button type="button" className="btn" onClick={() => onPage(page + 1)} disabled={page >= pages}>
        Next →
      </button>
    </nav>
  );
}
