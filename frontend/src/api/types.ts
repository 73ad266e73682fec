export type Role = 'user' | 'admin';
export type EventStatus = 'active' | 'inactive';
export type BookingStatus = 'CONFIRMED' | 'WAITLISTED' | 'CANCELLED';

export interface User {
  id: number;
  name: string;
  email: string;
  role: Role;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
}

export interface EventItem {
  id: number;
  name: string;
  venue: string;
  start_time: string;
  end_time: string;
  capacity: number;
  booked_count: number;
  status: EventStatus;
  waitlisted_count: number;
  available: number;
  utilization_pct: number;
}

export interface Page<T> {
  items: T[];
  meta: { page: number; page_size: number; total: number };
}

export interface Seat {
  id: number;
  event_id: number;
  label: string;
  row_label: string;
  col_number: number;
  reserved: boolean;
}

export interface EventSummary {
  id: number;
  name: string;
  venue: string;
  start_time: string;
  end_time: string;
  status: EventStatus;
}

export interface Booking {
  id: number;
  user_id: number;
  event_id: number;
  qty: number;
  status: BookingStatus;
  created_at: string;
  seat_labels: string[];
  waitlist_position: number | null;
  event: EventSummary;
}

export type EventSort = 'start_time' | 'name' | 'utilization';
export type SortOrder = 'asc' | 'desc';

export interface EventQuery {
  page?: number;
  page_size?: number;
  q?: string;
  status?: EventStatus | '';
  date_from?: string;
  date_to?: string;
  sort?: EventSort;
  order?: SortOrder;
}

export interface BookingRequest {
  qty?: number;
  seat_ids?: Array<string | number>;
  waitlist?: boolean;
}

export interface EventInput {
  name: string;
  venue: string;
  start_time: string;
  end_time: string;
  capacity: number;
}

export type EventPatch = Partial<EventInput & { status: EventStatus }>;

export interface AnalyticsEventRow {
  id: number;
  name: string;
  venue: string;
  start_time: string;
  end_time: string;
  capacity: number;
  booked_count: number;
  utilization_pct: number;
  status: EventStatus;
  waitlisted_count: number;
}

export interface DayCount {
  date: string;
  count: number;
}

export interface AnalyticsSummary {
  generated_at: string;
  totals: {
    events: number;
    active_events: number;
    capacity: number;
    booked: number;
    utilization_pct: number;
    waitlisted: number;
    cancelled: number;
  };
  events: AnalyticsEventRow[];
  top_events: AnalyticsEventRow[];
  timeseries_7d: { bookings: DayCount[]; cancellations: DayCount[] };
}

export interface GenerateSeatsResult {
  created: number;
  capacity: number;
}
