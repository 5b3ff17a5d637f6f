/**
 * A table of rows that can be driven from the keyboard: ↑/↓ (or j/k) move between rows, Enter opens
 * the focused row, Home/End jump. Sortable columns answer click and Enter on their header.
 */
import type { ComponentChildren, TargetedKeyboardEvent } from 'preact';
import { useRef } from 'preact/hooks';

export interface Column<T> {
  id: string;
  label: string;
  render: (row: T) => ComponentChildren;
  align?: 'left' | 'right';
  /** Set when the column can be sorted by the server under this name. */
  sortKey?: string;
  width?: string;
}

export interface SortState {
  key: string;
  order: 'asc' | 'desc';
}

interface Props<T> {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  onOpen?: (row: T) => void;
  /** A link for each row, so middle-click and copy-link work too. */
  rowHref?: (row: T) => string;
  sort?: SortState;
  onSort?: (sort: SortState) => void;
  label: string;
  rowClass?: (row: T) => string;
}

export function DataTable<T>({ columns, rows, rowKey, onOpen, rowHref, sort, onSort, label, rowClass }: Props<T>) {
  const body = useRef<HTMLTableSectionElement>(null);

  const focusRow = (index: number) => {
    const all = body.current?.querySelectorAll<HTMLTableRowElement>('tr');
    if (!all || all.length === 0) return;
    all[Math.max(0, Math.min(all.length - 1, index))].focus();
  };

  const onKeyDown = (event: TargetedKeyboardEvent<HTMLTableRowElement>, index: number, row: T) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => focusRow(index + 1),
      j: () => focusRow(index + 1),
      ArrowUp: () => focusRow(index - 1),
      k: () => focusRow(index - 1),
      Home: () => focusRow(0),
      End: () => focusRow(rows.length - 1),
      Enter: () => onOpen?.(row),
    };
    const action = keys[event.key];
    if (action && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      action();
    }
  };

  const toggleSort = (key: string) => {
    if (!onSort) return;
    onSort({ key, order: sort?.key === key && sort.order === 'desc' ? 'asc' : 'desc' });
  };

  return (
    <table class="data-table" aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => {
            const sorted = column.sortKey && sort?.key === column.sortKey ? sort.order : null;
            return (
              <th
                key={column.id}
                style={column.width ? { width: column.width } : undefined}
                class={`${column.align === 'right' ? 'num' : ''} ${column.sortKey ? 'sortable' : ''}`}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
              >
                {column.sortKey && onSort ? (
                  <button type="button" class="sort-button" onClick={() => toggleSort(column.sortKey!)}>
                    {column.label}
                    <span class="sort-mark" aria-hidden="true">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}</span>
                  </button>
                ) : (
                  column.label
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody ref={body}>
        {rows.map((row, index) => (
          <tr
            key={rowKey(row)}
            tabIndex={0}
            class={`${onOpen ? 'clickable' : ''} ${rowClass?.(row) ?? ''}`}
            data-row-key={rowKey(row)}
            onClick={(event) => {
              if ((event.target as HTMLElement).closest('a,button')) return;
              onOpen?.(row);
            }}
            onKeyDown={(event) => onKeyDown(event, index, row)}
          >
            {columns.map((column, i) => (
              <td key={column.id} class={column.align === 'right' ? 'num' : ''}>
                {i === 0 && rowHref ? <a href={rowHref(row)} tabIndex={-1}>{column.render(row)}</a> : column.render(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
