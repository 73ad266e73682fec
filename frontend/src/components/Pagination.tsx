import { isPastLastPage, lastPage } from '../lib/paging';

interface Props {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}

export function Pagination({ page, pageSize, total, onPage }: Props) {
  const pages = lastPage(total, pageSize);
  if (total === 0) return null;
  if (isPastLastPage(page, pageSize, total)) {
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
  return (
    <nav className="pagination" aria-label="Pages">
      <button type="button" className="btn" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        ← Previous
      </button>
      <span aria-live="polite">
        Page {page} of {pages} · {total} in all
      </span>
      <button type="button" className="btn" onClick={() => onPage(page + 1)} disabled={page >= pages}>
        Next →
      </button>
    </nav>
  );
}
