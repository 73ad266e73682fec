/**
 * Compile-time checks of types.ts, run by `npm run typecheck` (never imported by the app).
 * An alias whose path, method or status no longer matches the generated schema resolves to
 * `never`, which TypeScript would otherwise accept silently wherever it is passed along.
 */
import type * as T from './types';

type IsNever<X> = [X] extends [never] ? true : false;
type ExpectFalse<X extends false> = X;

export type ResolvedAliases = [
  ExpectFalse<IsNever<T.User>>,
  ExpectFalse<IsNever<T.Role>>,
  ExpectFalse<IsNever<T.TokenResponse>>,
  ExpectFalse<IsNever<T.EventItem>>,
  ExpectFalse<IsNever<T.EventStatus>>,
  ExpectFalse<IsNever<T.EventPage>>,
  ExpectFalse<IsNever<T.Seat>>,
  ExpectFalse<IsNever<T.Booking>>,
  ExpectFalse<IsNever<T.BookingStatus>>,
  ExpectFalse<IsNever<T.EventSummary>>,
  ExpectFalse<IsNever<T.AnalyticsSummary>>,
  ExpectFalse<IsNever<T.AnalyticsEventRow>>,
  ExpectFalse<IsNever<T.DayCount>>,
  ExpectFalse<IsNever<T.HomepageStats>>,
  ExpectFalse<IsNever<T.GenerateSeatsResult>>,
  ExpectFalse<IsNever<T.SignupRequest>>,
  ExpectFalse<IsNever<T.LoginRequest>>,
  ExpectFalse<IsNever<T.EventQuery>>,
  ExpectFalse<IsNever<T.EventSort>>,
  ExpectFalse<IsNever<T.SortOrder>>,
  ExpectFalse<IsNever<T.BookingRequest>>,
  ExpectFalse<IsNever<T.EventInput>>,
  ExpectFalse<IsNever<T.EventPatch>>,
  ExpectFalse<IsNever<T.GenerateSeatsRequest>>,
  ExpectFalse<IsNever<T.UserQuery>>,
  ExpectFalse<IsNever<T.AnalyticsQuery>>,
  ExpectFalse<IsNever<T.ValidationErrorBody>>,
  ExpectFalse<IsNever<T.NotificationPage>>,
  ExpectFalse<IsNever<T.Notification>>,
  ExpectFalse<IsNever<T.NotificationKind>>,
  ExpectFalse<IsNever<T.PasswordResetAccepted>>,
  ExpectFalse<IsNever<T.NotificationQuery>>,
  ExpectFalse<IsNever<T.PasswordResetRequest>>,
  ExpectFalse<IsNever<T.PasswordResetConfirmRequest>>,

  ExpectFalse<IsNever<T.Ticket>>,
  ExpectFalse<IsNever<T.TicketStatus>>,
  ExpectFalse<IsNever<T.CheckInResult>>,
  ExpectFalse<IsNever<T.CheckInRequest>>,

  ExpectFalse<IsNever<T.SaleState>>,
  ExpectFalse<IsNever<T.EventWhen>>,
  ExpectFalse<IsNever<T.Attendee>>,
];
