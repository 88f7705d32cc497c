// Whole-file validation of a draft, after every line was read: the checks
// that need more than one line (references by name, incomplete blocks,
// constraints between settings, files on disk). Each check reports against
// the line that has to change.
import type { Severity } from './diagnostics';
import type { ConfigDraft } from './draft';
import { validateClusterAndRedirect } from './validate-cluster';
import { validateIkev2 } from './validate-ikev2';
import { validateInterfaces } from './validate-interfaces';
import { validateIpsec } from './validate-ipsec';
import { validatePools } from './validate-pools';
import { inspectTrustpoints, type TrustpointFacts } from './validate-pki';

export type Report = (severity: Severity, line: number, message: string) => void;

export interface ValidateOptions {
  /** Relative file paths in the config (certificates, keys) are resolved against this directory. */
  readonly baseDir: string;
}

/** What validation learnt that resolution needs (from the file system). */
export interface ValidationFacts {
  readonly trustpoints: ReadonlyMap<string, TrustpointFacts>;
}

export function validate(draft: ConfigDraft, report: Report, options: ValidateOptions): ValidationFacts {
  validateInterfaces(draft, report);
  validateClusterAndRedirect(draft, report);
  const trustpoints = inspectTrustpoints(draft, report, options.baseDir);
  validateIkev2(draft, trustpoints, report);
  validateIpsec(draft, report);
  validatePools(draft, report);
  return { trustpoints };
}
