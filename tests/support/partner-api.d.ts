export interface paths {
  "/referrals": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List your referrals
     * @description Referrals your organisation sent (`box=sent`, the default) or that are addressed to it (`box=received`). Most recently changed first; pass `updatedSince` to sync changes. Scope `referrals:read`.
     */
    get: operations["listReferrals"];
    put?: never;
    /**
     * Refer a person to the operation
     * @description Requires the person's consent to share their data (`consent.dataSharing: true`). Scope `referrals:write`. Safe to retry with `Idempotency-Key`.
     */
    post: operations["createReferral"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/referrals/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One of your referrals
     * @description 404 for any referral your organisation did not send and did not receive. Scope `referrals:read`.
     */
    get: operations["getReferral"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/referrals/{id}/accept": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Accept a referral addressed to you
     * @description Only for referrals addressed to your organisation. Scope `referrals:respond`.
     */
    post: operations["acceptReferral"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/referrals/{id}/decline": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Decline a referral addressed to you (with a reason)
     * @description Only for referrals addressed to your organisation. Scope `referrals:respond`.
     */
    post: operations["declineReferral"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/referrals/{id}/complete": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Complete a referral with a service note
     * @description Only for referrals addressed to your organisation. Scope `referrals:respond`.
     */
    post: operations["completeReferral"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/webhook": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your webhook URL */
    get: operations["getWebhook"];
    /**
     * Register your webhook URL
     * @description Events (`referral.created`, `referral.accepted`, …) are POSTed with `Waypoint-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. The signing secret is returned only in this response; calling again rotates it.
     */
    put: operations["setWebhook"];
    post?: never;
    /** Stop receiving events */
    delete: operations["deleteWebhook"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/webhook/deliveries": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Delivery log */
    get: operations["listWebhookDeliveries"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/webhook/deliveries/{eventId}/replay": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send an event again */
    post: operations["replayWebhookDelivery"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/public/feedback": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send feedback or a complaint (no account)
     * @description Received by the operation's complaint handlers; complaints of sexual exploitation and abuse, fraud or staff misconduct go to its focal points only. The operation is named by its code (any case). The answer is the same whatever happens and repeats nothing that was sent, except that a code held by more than one operation (a deployment upgraded from before codes were unique) is refused with a 409 and nothing is stored. Rate-limited per IP address.
     */
    post: operations["sendFeedback"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/public/messages/status": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Delivery status of a message (the provider's status callback, signed) */
    post: operations["messageStatusCallback"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/public/messages/inbound": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A person's reply (the provider's inbound-message webhook, signed): linked to the person; STOP, ALTO, ARRET or قف stops messages to that number */
    post: operations["messageInbound"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/intake/kobo/{formId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Receive a KoboToolbox submission
     * @description Point a KoboToolbox REST Service here (JSON). Authenticate with `Authorization: Bearer <key>`, HTTP basic (any user name, the key as password) or the custom header `X-Waypoint-Key`. Idempotent on `meta/instanceID`; an edit made in Kobo (same `_id`, `meta/deprecatedID` naming the earlier `meta/instanceID`) updates the intake it made and records what changed (a lead already registered or closed keeps its fields and is flagged for review); every answer is kept with the intake, mapped or not; a submission the form's mapping cannot place is queued for staff review, never refused. Scope `intake:kobo`.
     */
    post: operations["receiveKoboSubmission"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/public/interest/consent": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Consent text for the expression-of-interest form */
    get: operations["getInterestConsent"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/public/interest": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Express interest in a programme (no account)
     * @description Creates a lead for identification in the operation whose code (any case) the request names. The answer is the same whether or not the person is known to the operation. A code held by more than one operation (a deployment upgraded from before codes were unique) is refused with a 409 and nothing is stored. Rate-limited per IP address.
     */
    post: operations["expressInterest"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    PartnerReferral: {
      id: string;
      referralNumber?: string;
      /** @enum {string} */
      direction: "sent" | "received";
      /** @enum {string} */
      status: "pending" | "accepted" | "declined" | "completed" | "withdrawn";
      /** @enum {string} */
      serviceCategory:
        | "legal"
        | "health"
        | "psychosocial"
        | "shelter"
        | "child_protection"
        | "documentation"
        | "education"
        | "livelihoods"
        | "cash"
        | "food"
        | "other";
      /** @enum {string} */
      urgency: "normal" | "urgent" | "emergency";
      narrative?: string;
      person?: {
        [key: string]: unknown;
      };
      externalReference?: string;
      declineReason?: string;
      serviceNote?: string;
      deadline?: string;
      /** Format: date-time */
      timeCreated: string;
      /** Format: date-time */
      timeUpdated: string;
      version: number;
    };
    Problem: {
      type: string;
      title: string;
      status: number;
      detail?: string;
      instance?: string;
      code?: string;
      action?: string;
      requestId?: string;
      errors?: {
        /** @description Dotted path of the failing field */
        path: string;
        code: string;
        message: string;
      }[];
      current?: unknown;
    };
    PartnerReferralRequest: {
      person: components["schemas"]["PartnerPerson"];
      consent: components["schemas"]["DataSharingConsent"];
      /** @enum {string} */
      serviceCategory:
        | "legal"
        | "health"
        | "psychosocial"
        | "shelter"
        | "child_protection"
        | "documentation"
        | "education"
        | "livelihoods"
        | "cash"
        | "food"
        | "other";
      /** @enum {string} */
      urgency?: "normal" | "urgent" | "emergency";
      narrative: string;
      externalReference?: string;
    };
    PartnerPerson: {
      givenName: string;
      familyName: string;
      /** @enum {string} */
      sex: "female" | "male" | "other" | "unknown";
      dateOfBirth?: string;
      estimatedAge?: number;
      nationality?: string;
      phone?: string;
      languages?: string[];
      specificNeeds?: (
        | "CR"
        | "CR-CP"
        | "CR-CL"
        | "CR-CS"
        | "UASC"
        | "UASC-UM"
        | "UASC-SC"
        | "WR"
        | "WR-SF"
        | "WR-LW"
        | "ER"
        | "ER-NF"
        | "SP"
        | "DS"
        | "DS-PM"
        | "DS-MM"
        | "DS-SD"
        | "SM"
        | "SM-CI"
        | "SM-MN"
        | "FU"
        | "FU-TR"
        | "LP"
        | "LP-ND"
        | "LP-DT"
        | "LP-RR"
        | "SV"
        | "TR"
        | "VT"
      )[];
    };
    DataSharingConsent: {
      /** @enum {boolean} */
      dataSharing: true;
      date: string;
    };
    WebhookConfig: {
      url: string;
    };
    PublicFeedbackRequest: {
      operation: string;
      /**
       * @default other
       * @enum {string}
       */
      category:
        | "information_request"
        | "service_quality"
        | "access_to_assistance"
        | "data_correction"
        | "appreciation"
        | "suggestion"
        | "sexual_exploitation_abuse"
        | "fraud"
        | "staff_misconduct"
        | "other";
      message: string;
      name?: string;
      phone?: string;
      area?: string;
    };
    InterestRequest: {
      operation: string;
      /** @enum {string} */
      programme?: "local_integration" | "resettlement" | "assistance" | "other";
      givenName: string;
      familyName: string;
      phone?: string;
      /** Format: email */
      email?: string;
      nationality?: string;
      householdSize?: number;
      location?: string;
      /** @enum {string} */
      language: "en" | "es" | "fr" | "ar" | "hat";
      /** @enum {boolean} */
      consent: true;
      consentVersion: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listReferrals: {
    parameters: {
      query?: {
        status?: "pending" | "accepted" | "declined" | "completed" | "withdrawn";
        updatedSince?: string;
        box?: "sent" | "received";
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of referrals */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            items: components["schemas"]["PartnerReferral"][];
            nextCursor: string | null;
          };
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  createReferral: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the POST safe to retry: the same key and body return the original response; the same key with another body is a 422. Keys are kept 24 h. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "person": {
         *         "givenName": "Amina",
         *         "familyName": "Haddad",
         *         "sex": "female",
         *         "estimatedAge": 34,
         *         "nationality": "SYR",
         *         "phone": "+525512345678",
         *         "languages": [
         *           "ara"
         *         ],
         *         "specificNeeds": []
         *       },
         *       "consent": {
         *         "dataSharing": true,
         *         "date": "2026-11-20"
         *       },
         *       "serviceCategory": "legal",
         *       "urgency": "urgent",
         *       "narrative": "Needs legal counselling on her asylum claim before the hearing.",
         *       "externalReference": "NGO-2026-0042"
         *     }
         */
        "application/json": components["schemas"]["PartnerReferralRequest"];
      };
    };
    responses: {
      /** @description The referral, pending */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PartnerReferral"];
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  getReferral: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The referral */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PartnerReferral"];
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  acceptReferral: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the POST safe to retry: the same key and body return the original response; the same key with another body is a 422. Keys are kept 24 h. */
        "idempotency-key"?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": {
          note?: string;
          version?: number;
        };
      };
    };
    responses: {
      /** @description The referral after the change */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PartnerReferral"];
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  declineReferral: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the POST safe to retry: the same key and body return the original response; the same key with another body is a 422. Keys are kept 24 h. */
        "idempotency-key"?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          reason: string;
          version?: number;
        };
      };
    };
    responses: {
      /** @description The referral after the change */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PartnerReferral"];
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  completeReferral: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the POST safe to retry: the same key and body return the original response; the same key with another body is a 422. Keys are kept 24 h. */
        "idempotency-key"?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          serviceNote: string;
          version?: number;
        };
      };
    };
    responses: {
      /** @description The referral after the change */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PartnerReferral"];
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  getWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The registered URL (never the secret) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            url: string | null;
          };
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  setWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "url": "https://partner.example.org/waypoint-events"
         *     }
         */
        "application/json": components["schemas"]["WebhookConfig"];
      };
    };
    responses: {
      /** @description The URL and the new signing secret */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            url: string;
            secret: string;
          };
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  deleteWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Removed */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  listWebhookDeliveries: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Events and their delivery attempts, newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            items: {
              eventID: string;
              type: string;
              /** @enum {string} */
              state: "pending" | "delivered" | "failed";
              attempts: number;
              nextAttemptAt: string | null;
              log: {
                time: string;
                status?: number;
                error?: string;
                ms: number;
              }[];
              timeCreated: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  replayWebhookDelivery: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        eventId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Queued for delivery */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            eventID: string;
            type: string;
            /** @enum {string} */
            state: "pending" | "delivered" | "failed";
            attempts: number;
            nextAttemptAt: string | null;
            log: {
              time: string;
              status?: number;
              error?: string;
              ms: number;
            }[];
            timeCreated: string;
          };
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  sendFeedback: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "operation": "MEX",
         *       "category": "service_quality",
         *       "message": "The queue at the office was very long and nobody explained why."
         *     }
         */
        "application/json": components["schemas"]["PublicFeedbackRequest"];
      };
    };
    responses: {
      /** @description Received */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {string} */
            status: "received";
            message: string;
          };
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  messageStatusCallback: {
    parameters: {
      query?: never;
      header?: {
        /** @description Base64 HMAC-SHA1 of the URL and the sorted parameters, keyed with the Auth Token */
        "x-twilio-signature"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/x-www-form-urlencoded": {
          [key: string]: string;
        };
      };
    };
    responses: {
      /** @description Recorded */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  messageInbound: {
    parameters: {
      query?: never;
      header?: {
        /** @description Base64 HMAC-SHA1 of the URL and the sorted parameters, keyed with the Auth Token */
        "x-twilio-signature"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/x-www-form-urlencoded": {
          [key: string]: string;
        };
      };
    };
    responses: {
      /** @description Received (empty TwiML) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "text/xml": string;
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  receiveKoboSubmission: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        formId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description Already received (same `meta/instanceID`), or an edit of a submission already received (same `_id`, `meta/deprecatedID` naming the earlier instance): its intake was updated */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            id: string;
            /** @enum {string} */
            outcome: "created" | "queued" | "updated" | "duplicate";
          };
        };
      };
      /** @description Ingested (a lead was created, or the submission was queued for review) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            id: string;
            /** @enum {string} */
            outcome: "created" | "queued" | "updated" | "duplicate";
          };
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  getInterestConsent: {
    parameters: {
      query?: {
        lang?: "en" | "es" | "fr" | "ar" | "hat";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The text to show, and its version to send back */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {string} */
            language: "en" | "es" | "fr" | "ar" | "hat";
            version: string;
            text: string;
          };
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  expressInterest: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "operation": "MEX",
         *       "programme": "local_integration",
         *       "givenName": "Jean",
         *       "familyName": "Pierre",
         *       "phone": "+525512345678",
         *       "language": "hat",
         *       "consent": true,
         *       "consentVersion": "2026-11"
         *     }
         */
        "application/json": components["schemas"]["InterestRequest"];
      };
    };
    responses: {
      /** @description Received */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {string} */
            status: "received";
            message: string;
          };
        };
      };
      /** @description Malformed request (body is not JSON) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Missing or invalid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description The API key lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description No such record, or not one this organisation may see */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Conflict: stale version, or a request with this Idempotency-Key is still running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Request body larger than 256 KB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description Rate limit exceeded; see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
}
