import { useEffect, useRef, type RefObject } from 'react';

/**
 * A ref to focus each time `key` changes to a truthy value: where keyboard focus goes when
 * the control that had it is disabled or disappears (a result replacing the form, a dialog
 * closing). Give the element `tabIndex={-1}` unless it is a control.
 */
export function useFocusOn<T extends HTMLElement>(key: unknown): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  return ref;
}
