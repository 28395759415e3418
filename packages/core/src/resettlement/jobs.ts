/** The biodata a resettlement country receives; a change after submission must be explained. */
export const BIODATA = [
  "givenName",
  "familyName",
  "sex",
  "dateOfBirth",
  "estimatedAge",
  "nationality",
  "documents",
] as const;

export const isBiodata = (field: string): boolean => (BIODATA as readonly string[]).includes(field);

/**
 * Left by a change of a person's biodata (ref: the individual): the submissions the country holds with them are
 * screened again, so the flag shows on the submission, the lists and the reviewer's queue without waiting for the
 * submission's next step.
 */
export const RESCREEN_JOB = "resettlement.rescreen";
