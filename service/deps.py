"""Dependencies shared by the routers: the settings the app was created with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from nianbao.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
