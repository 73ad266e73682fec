import type { SaleState } from '../api/types';

export const SALE_STATE_TEXT: Record<SaleState, string> = {
  on_sale: 'On sale',
  sold_out: 'Sold out',
  ended: 'Ended',
  inactive: 'Not on sale',
};

/** The one badge an event gets, from the server's `sale_state` only. */
export function SaleBadge({ state }: { state: SaleState }) {
  return <span className={`badge badge-sale-${state}`}>{SALE_STATE_TEXT[state]}</span>;
}
