# bash completion for bitcask(1), the command-line tool of Bitcask Browser.
# Installed as share/bash-completion/completions/bitcask (loaded on demand by bash-completion).
# The commands and options follow engine/tools/bitcask_main.cpp.

_bitcask() {
  local cur prev words cword
  _init_completion -n : || return

  local commands="put get delete keys stats check dump import export merge"
  local cmd="" i
  for ((i = 1; i < cword; i++)); do
    case "${words[i]}" in
      -*) ;;
      *)
        cmd="${words[i]}"
        break
        ;;
    esac
  done

  if [[ -z "$cmd" ]]; then
    if [[ "$cur" == -* ]]; then
      mapfile -t COMPREPLY < <(compgen -W "--help --version" -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
    fi
    return
  fi

  case "$prev" in
    --sync)
      mapfile -t COMPREPLY < <(compgen -W "always none interval" -- "$cur")
      return
      ;;
    --from | --pybitcask)
      _filedir -d
      return
      ;;
    --jsonl)
      _filedir
      [[ "-" == "$cur"* ]] && COMPREPLY+=("-")
      return
      ;;
    --max-segment-size | --prefix | --limit)
      return
      ;;
  esac

  local opts="--help"
  case "$cmd" in
    put) opts+=" --sync --max-segment-size" ;;
    delete) opts+=" --sync" ;;
    keys) opts+=" --prefix --limit" ;;
    stats) opts+=" --json" ;;
    dump) opts+=" --no-header" ;;
    import) opts+=" --sync --max-segment-size --from --jsonl" ;;
    merge) opts+=" --max-segment-size --if-needed" ;;
  esac
  if [[ "$cur" == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    return
  fi

  # The first argument after the command is the database directory.
  local args=0
  for ((i = i + 1; i < cword; i++)); do
    case "${words[i]}" in
      --sync | --max-segment-size | --prefix | --limit | --from | --pybitcask | --jsonl) ((i++)) ;;
      -*) ;;
      *) ((args++)) ;;
    esac
  done
  if [[ $args -eq 0 ]]; then
    _filedir -d
  elif [[ "$cmd" == get || "$cmd" == delete ]] && [[ $args -eq 1 ]]; then
    # KEY: the keys of the database named before it, when it can be read.
    local dir
    for ((i = 1; i < cword; i++)); do
      [[ "${words[i]}" == "$cmd" ]] && break
    done
    for ((i = i + 1; i < cword; i++)); do
      case "${words[i]}" in
        --sync) ((i++)) ;;
        -*) ;;
        *)
          dir="${words[i]}"
          break
          ;;
      esac
    done
    dir="${dir/#\~/$HOME}"
    if [[ -d "$dir" ]]; then
      # `keys --prefix` does the matching; keys are data, never expanded by the shell.
      mapfile -t COMPREPLY < <("${words[0]}" keys "$dir" --prefix "$cur" --limit 200 2>/dev/null)
      __ltrim_colon_completions "$cur"
    fi
  fi
} &&
  complete -F _bitcask bitcask
