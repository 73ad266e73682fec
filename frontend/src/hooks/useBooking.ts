import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import type { Booking, BookingRequest } from '../api/types';
import { fingerprint, IdempotentSubmitter } from '../lib/idempotency';
import { useInvalidateInventory } from './queries';

/**
 * Booking with one Idempotency-Key per attempt (reused on network-error retries, see
 * lib/idempotency). The submitter lives as long as the event page.
 */
export function useBooking(eventId: number) {
  const [submitter] = useState(() => new IdempotentSubmitter());
  const invalidate = useInvalidateInventory();
  const mutation = useMutation<Booking, unknown, BookingRequest>({
    mutationFn: (body) => submitter.submit(fingerprint(eventId, body), (key) => api.book(eventId, body, key)),
    onSettled: () => invalidate(),
  });
  return mutation;
}
