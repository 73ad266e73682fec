/** The number of the last page of `total` items, `pageSize` a page (1 when there are none). */
export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * True when `page` (from the address: `?page=999`) is after the last page of a list that
 * has items: the list should say so and offer the last page, not "nothing matches".
 */
export function isPastLastPage(page: number, pageSize: number, total: number): boolean {
  return total > 0 && page > lastPage(total, pageSize);
}
