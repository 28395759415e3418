import { batchGet } from "../common/batch-get.ts";
import { UserEntity } from "../user/user.entity.ts";

/** Staff names for a set of user IDs (one batch read); system actors and unknown IDs are left out. */
export async function staffNames(ids: (string | undefined)[]): Promise<Map<string, string>> {
  const users = [...new Set(ids.filter((x): x is string => Boolean(x?.startsWith("usr_"))))];
  if (users.length === 0) return new Map();
  const found = await batchGet<{ userID: string; name: string }>(
    UserEntity,
    users.map((userID) => ({ userID })),
    { attributes: ["userID", "name"] },
  );
  return new Map(found.map((u) => [u.userID, u.name] as const));
}
