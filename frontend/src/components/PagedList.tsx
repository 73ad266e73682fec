import type { ReactNode } from 'react';
import { isPastLastPage } from '../lib/paging';
import { Pagination } from './Pagination';
import { ErrorNotice, Loading } from './Status';

/** What PagedList reads of a list's query (TanStack Query, `placeholderData: keepPreviousData`). */
export interface PagedQuery<T> {
  data: { items: T[]; meta: { total?: number } } | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  isFetching: boolean;
  /** `data` is the previous answer (other filters, another page) while this one loads. */
  isPlaceholderData: boolean;
  refetch: () => unknown;
}

interface Props<T> {
  query: PagedQuery<T>;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  /** Said while the first answer loads, and instead of a previous answer's "nothing here". */
  loadingLabel: string;
  /** Said when the answer, its own, has no items. */
  empty: ReactNode;
  /** The class of the element holding the items (`card-grid`, `table-scroll`). */
  className?: string;
  children: (items: T[]) => ReactNode;
}

/**
 * One page of a list, from the first load to its pagination. While a new answer loads, the
 * previous one stays on screen, dimmed (`is-stale`) and `aria-busy`, so nobody reads it as the
 * new one; if it had no items it is not shown at all, since its "nothing here" was said of other
 * filters or another page: the list says `loadingLabel` instead. The pagination says which page
 * is loading, not the previous total. "There is no page N" comes from Pagination, of an answer's
 * own total only.
 */
export function PagedList<T>({ query, page, pageSize, onPage, loadingLabel, empty, className, children }: Props<T>) {
  const { data } = query;
  const previous = query.isPlaceholderData;
  const total = data?.meta.total ?? 0;
  return (
    <>
      {query.isPending && <Loading label={loadingLabel} />}
      {query.isError && <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />}
      {data && previous && data.items.length === 0 ? (
        <Loading label={loadingLabel} />
      ) : (
        data && (
          <>
            {!previous && isPastLastPage(page, pageSize, total) ? null : data.items.length === 0 ? (
              empty
            ) : (
              <div className={[className, previous && 'is-stale'].filter(Boolean).join(' ') || undefined} aria-busy={query.isFetching}>
                {children(data.items)}
              </div>
            )}
            <Pagination page={page} pageSize={pageSize} total={total} loading={previous} onPage={onPage} />
          </>
        )
      )}
    </>
  );
}
