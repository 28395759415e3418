import { useState } from "react";
import { Modal } from "../components/Modal.tsx";
import { useMe, useOffices } from "../components/lookups.ts";
import type { GridToolsProps } from "../domains/resources.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { BookingForm } from "./BookingForm.tsx";
import { bookingText } from "./bookingText.ts";

/** "Book an appointment" on the appointments grid: the booking form, with its conflict check, instead of a bare row. */
export function AppointmentTools({ ds }: GridToolsProps) {
  const { lang } = useI18n();
  const { me, may } = useMe();
  const offices = useOffices();
  const [open, setOpen] = useState(false);
  if (!may("appointment.create")) return null;
  const officeID = me?.officeIDs[0] ?? [...offices.keys()][0] ?? "";
  return (
    <>
      <button aria-haspopup="dialog" type="button" onClick={() => setOpen(true)} disabled={!officeID}>
        {bookingText(lang, "booking.title")}
      </button>
      {open && (
        <Modal title={bookingText(lang, "booking.title")} onClose={() => setOpen(false)} wide>
          <BookingForm
            officeID={officeID}
            onCancel={() => setOpen(false)}
            onDone={(r) => {
              ds.merge([r as Record<string, unknown>]);
              setOpen(false);
            }}
          />
        </Modal>
      )}
    </>
  );
}
