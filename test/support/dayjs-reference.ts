import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

// The tests' reference for zoned dates: what CertOps used before it kept its own formatters.
// dayjs plugins are process-wide; extending twice is harmless.
dayjs.extend(utc);
dayjs.extend(timezone);

export { dayjs };
