/**
 * The plugin registry: manifests are registered explicitly and looked up by slot kind and id.
 */
import { PluginError } from './errors.js';
import { CONTRACT_VERSION, type ManifestOf, type PluginManifest, type SlotKind } from './spec.js';

const SLOT_KINDS: readonly SlotKind[] = ['norm', 'position', 'ffn', 'attention', 'stability'];

function majorOf(version: string): number {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  return Number.isFinite(major) ? major : Number.NaN;
}

/** Manifests by slot kind and id. Registration never happens on import; callers pass manifests in. */
export class Registry {
  private readonly bySlot = new Map<SlotKind, Map<string, PluginManifest>>();

  constructor(manifests: Iterable<PluginManifest> = []) {
    for (const kind of SLOT_KINDS) this.bySlot.set(kind, new Map());
    this.register(...manifests);
  }

  /**
   * Adds manifests. Rejects a manifest written for another contract major version, an unknown
   * slot kind, and an id already registered for the same slot (naming both packages).
   */
  register(...manifests: PluginManifest[]): this {
    for (const manifest of manifests) {
      const slot = this.bySlot.get(manifest.kind);
      if (!slot) {
        throw new PluginError(
          `plugin "${manifest.id}" from ${manifest.package} has unknown kind "${String(manifest.kind)}"; valid kinds: ${SLOT_KINDS.join(', ')}`,
        );
      }
      if (majorOf(manifest.contract) !== majorOf(CONTRACT_VERSION)) {
        throw new PluginError(
          `plugin "${manifest.id}" from ${manifest.package} was built for plugin contract ${manifest.contract}, but this @archzoo/core implements contract ${CONTRACT_VERSION}; install a version of ${manifest.package} built for contract ${majorOf(CONTRACT_VERSION)}.x`,
        );
      }
      const existing = slot.get(manifest.id);
      if (existing && existing !== manifest) {
        throw new PluginError(
          `${manifest.kind} plugin id "${manifest.id}" is registered twice: by ${existing.package} and by ${manifest.package}; register only one of them`,
        );
      }
      slot.set(manifest.id, manifest);
    }
    return this;
  }

  /** The manifest of `kind` with `id`; an unknown id is an error listing the registered ones. */
  get<K extends SlotKind>(kind: K, id: string, where: string = kind): ManifestOf<K> {
    const manifest = this.bySlot.get(kind)?.get(id);
    if (!manifest) {
      const known = this.ids(kind);
      throw new PluginError(
        `${where}.type "${id}" is not a registered ${kind} plugin; registered: ${known.length ? known.join(', ') : '(none)'}. Register the package that provides it or fix the type`,
      );
    }
    return manifest as ManifestOf<K>;
  }

  has(kind: SlotKind, id: string): boolean {
    return this.bySlot.get(kind)?.has(id) ?? false;
  }

  ids(kind: SlotKind): string[] {
    return [...(this.bySlot.get(kind)?.keys() ?? [])].sort();
  }

  all(): PluginManifest[] {
    return SLOT_KINDS.flatMap((kind) => [...(this.bySlot.get(kind)?.values() ?? [])]);
  }
}
