import { createRoute, z } from "@hono/zod-openapi";
import { AppointmentAvailability } from "@waypoint/core/appointment/availability";
import {
  Availability,
  AvailabilityQueryFields,
  InterpreterOption,
  InterpreterQuery,
} from "@waypoint/schema/appointments";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const tags = ["appointment"];

/** What booking asks before saving: a slot's conflicts and the next free slots; interpreters by language. */
export const appointmentBookingRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/availability",
      tags,
      summary:
        "Conflicts of a proposed booking (room, interpreter, person) and the next free slots of the same length in office hours",
      request: { query: AvailabilityQueryFields },
      responses: { 200: { description: "Conflicts and free slots", ...json(Availability) }, ...problems },
    }),
    async (c) =>
      // core parses the raw query again: its rules (end after start, at most 4 hours) are on the whole query
      c.json((await AppointmentAvailability.check(c.req.query() as never)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/interpreters",
      tags,
      summary: "Interpreters who may be booked (in the office, working in any of the languages asked)",
      request: { query: InterpreterQuery },
      responses: {
        200: { description: "Interpreters", ...json(z.object({ items: z.array(InterpreterOption) })) },
        ...problems,
      },
    }),
    async (c) => c.json((await AppointmentAvailability.interpreters(c.req.valid("query"))) as never, 200),
  );
